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

    public Task DeleteMyDataAsync(DeleteMyData command, CancellationToken ct) =>
        EraseAsync(command.Chat.Channel, personal.ChatKey(command.Chat.Channel, command.Chat.ChatId), "personal_data_deleted", ct);

    /// <summary>
    /// An operator's erasure (`erase-resident --tip CODE`) for a request that came another way — a
    /// letter, a visit — naming one of the resident's tips: what /xoadulieu would delete for the
    /// chat that sent that tip. Null when there is no such tip.
    /// </summary>
    public async Task<int?> EraseReporterOfAsync(string tipCode, CancellationToken ct)
    {
        var code = tipCode.Trim().ToUpperInvariant();
        var reporter = await db.Tips.Where(t => t.Code == code).Select(t => new { t.ReporterChannel, t.ReporterKey }).FirstOrDefaultAsync(ct);
        if (reporter is null) return null;
        return await EraseAsync(reporter.ReporterChannel, reporter.ReporterKey, "personal_data_erased", ct);
    }

    private async Task<int> EraseAsync(string channel, string chatKey, string eventKind, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Subscribers.Where(s => s.Channel == channel && s.ChatKey == chatKey).ExecuteDeleteAsync(ct);
        var tips = await db.Tips.Where(t => t.ReporterChannel == channel && t.ReporterKey == chatKey && t.PersonalDataPurgedAt == null)
            .Select(t => t.Id).ToListAsync(ct);
        await PurgeAsync(tips, eventKind, now, ct);
        return tips.Count;
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
