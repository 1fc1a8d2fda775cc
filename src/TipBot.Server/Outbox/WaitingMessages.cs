using Hangfire;
using Microsoft.EntityFrameworkCore;
using TipBot.Core.Messaging;
using TipBot.Dialogs.Engine;
using TipBot.Dialogs.Resources;
using TipBot.Server.Persistence;

namespace TipBot.Server.Outbox;

/// <summary>
/// Messages a platform refused because the recipient has not written lately (Messenger's 24-hour
/// window, Zalo's 7-day consultation window). They are kept, not retried, and go out as soon as
/// the recipient writes again; an officer whose question is held is told so.
/// </summary>
public sealed class WaitingMessages(TipBotDbContext db, PersonalData personal, OutboxWriter outbox, IBackgroundJobClient jobs, TimeProvider clock, ILogger<WaitingMessages> log)
{
    /// <summary>Only these platforms have a reply window; a message from any other channel costs no query.</summary>
    public static bool HasWindow(string channel) => channel is "messenger" or "zalo";

    public async Task HoldAsync(OutboxRecord record, CancellationToken ct)
    {
        await db.Outbox.Where(o => o.Id == record.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.WaitingSince, clock.GetUtcNow().UtcDateTime).SetProperty(o => o.ClaimedAt, (DateTime?)null), ct);
        log.LogInformation("Outbox message {Id} waits for its recipient to write again ({Channel} reply window)", record.Id, record.Channel);
        if (record.Key.StartsWith("ask:", StringComparison.Ordinal)) await TellOfficerAsync(record, ct);
    }

    /// <summary>The recipient wrote: whatever waited for them is sent now.</summary>
    public async Task ReleaseAsync(ChatAddress from, CancellationToken ct)
    {
        if (!HasWindow(from.Channel)) return;
        var key = personal.ChatKey(from.Channel, from.ChatId);
        var waiting = await db.Outbox.AsNoTracking().Where(o => o.ChatKey == key && o.WaitingSince != null && o.SentAt == null)
            .OrderBy(o => o.CreatedAt).Select(o => o.Id).ToListAsync(ct);
        if (waiting.Count == 0) return;
        await db.Outbox.Where(o => waiting.Contains(o.Id)).ExecuteUpdateAsync(s => s.SetProperty(o => o.WaitingSince, (DateTime?)null), ct);
        foreach (var id in waiting) jobs.Enqueue<SendOutboundJob>(j => j.RunAsync(id, CancellationToken.None));
        log.LogInformation("{Count} waiting message(s) released: their recipient wrote again", waiting.Count);
    }

    // The question's confirmation to the officer ("ask-done:<request>") says who asked; the answer button which tip.
    private async Task TellOfficerAsync(OutboxRecord question, CancellationToken ct)
    {
        var request = question.Key["ask:".Length..];
        var officerRow = await db.Outbox.AsNoTracking().FirstOrDefaultAsync(o => o.Key == "ask-done:" + request, ct);
        var tipId = OutboxWriter.ToReply(question).ButtonsOrEmpty
            .Select(b => Payloads.TryGetId(b.Payload, Payloads.AnswerPrefix, out var id) ? id : (Guid?)null).FirstOrDefault(id => id is not null);
        if (officerRow is null || tipId is null) return;
        var code = await db.Tips.AsNoTracking().Where(t => t.Id == tipId).Select(t => t.Code).FirstOrDefaultAsync(ct);
        var officer = new ChatAddress(officerRow.Channel, personal.Unprotect(officerRow.ChatId));
        if (await outbox.AddAsync(db, "ask-waiting:" + request, officer, new Reply(Texts.Format("vi", "QuestionWaiting", code ?? "")), ct) is { } id)
            jobs.Enqueue<SendOutboundJob>(j => j.RunAsync(id, CancellationToken.None));
    }
}
