using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TipBot.Dialogs.Engine;
using TipBot.Server.Persistence;

namespace TipBot.Server.Privacy;

public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>Days after a tip is closed before the tipster's contact data on it is purged.</summary>
    public int RetentionDays { get; set; } = 180;

    /// <summary>Days that sent messages (outbox, web chat, notice deliveries) are kept, for support.</summary>
    public int MessageRetentionDays { get; set; } = 14;
}

/// <summary>
/// Personal data is kept only as long as it is needed: on request (/xoadulieu) and, for closed
/// tips, after the retention period. The tip itself stays: the law requires its record.
/// </summary>
public sealed class PrivacyHandler(TipBotDbContext db, PersonalData personal, IOptions<PrivacyOptions> options, TimeProvider clock, ILogger<PrivacyHandler> log)
{
    public const string RecurringId = "tipbot-retention";

    public async Task DeleteMyDataAsync(DeleteMyData command, CancellationToken ct)
    {
        var key = personal.ChatKey(command.Chat.Channel, command.Chat.ChatId);
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Subscribers.Where(s => s.Channel == command.Chat.Channel && s.ChatKey == key).ExecuteDeleteAsync(ct);
        var tips = await db.Tips.Where(t => t.ReporterChannel == command.Chat.Channel && t.ReporterKey == key && t.PersonalDataPurgedAt == null)
            .Select(t => t.Id).ToListAsync(ct);
        await PurgeAsync(tips, "personal_data_deleted", now, ct);
    }

    /// <summary>Recurring: purges contact data of tips closed longer than the retention period, and old sent messages.</summary>
    public async Task ApplyRetentionAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var closedBefore = now.AddDays(-options.Value.RetentionDays);
        var tips = await db.Tips
            .Where(t => t.PersonalDataPurgedAt == null && t.ResolvedAt != null && t.ResolvedAt < closedBefore)
            .Select(t => t.Id).Take(5000).ToListAsync(ct);
        await PurgeAsync(tips, "personal_data_purged", now, ct);

        var messagesBefore = now.AddDays(-options.Value.MessageRetentionDays);
        var outbox = await db.Outbox.Where(o => o.SentAt != null && o.SentAt < messagesBefore).ExecuteDeleteAsync(ct);
        var web = await db.WebChatMessages.Where(m => m.At < messagesBefore).ExecuteDeleteAsync(ct);
        var deliveries = await db.NoticeDeliveries.Where(d => d.SentAt != null && d.SentAt < messagesBefore).ExecuteDeleteAsync(ct);
        // Images uploaded for a preview that was never sent: a day is long enough to finish composing.
        var abandonedBefore = now.AddDays(-1);
        var images = await db.NoticeImages.Where(i => i.CreatedAt < abandonedBefore && !db.Notices.Any(n => n.ImageId == i.Id)).ExecuteDeleteAsync(ct);
        log.LogInformation("Retention: purged {Tips} tip(s); deleted {Outbox} outbox, {Web} web chat and {Deliveries} notice messages, {Images} unused notice image(s)",
            tips.Count, outbox, web, deliveries, images);
    }

    private async Task PurgeAsync(List<Guid> tipIds, string eventKind, DateTime now, CancellationToken ct)
    {
        if (tipIds.Count == 0) return;
        await db.Tips.Where(t => tipIds.Contains(t.Id)).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.ReporterChatId, (string?)null)
            .SetProperty(t => t.ContactPhone, (string?)null)
            .SetProperty(t => t.PersonalDataPurgedAt, now), ct);
        db.TipEvents.AddRange(tipIds.Select(id => new TipEventRecord { TipId = id, Kind = eventKind, At = now }));
        await db.SaveChangesAsync(ct);
    }
}
