using Hangfire;
using Microsoft.EntityFrameworkCore;
using TipBot.Channels;
using TipBot.Core.Messaging;
using TipBot.Server.Persistence;

namespace TipBot.Server.Outbox;

/// <summary>
/// Sends one outbox row. The row is claimed before the send and marked sent right after it, so a
/// retry or a second worker sends nothing twice; only a crash inside the send itself can repeat it.
/// A row the platform refuses until the recipient writes again waits for them (<see cref="WaitingMessages"/>).
/// </summary>
public sealed class SendOutboundJob(
    TipBotDbContext db,
    ChannelDispatcher dispatcher,
    PersonalData personal,
    WaitingMessages waiting,
    MarkWriter marks,
    IBackgroundJobClient jobs,
    TimeProvider clock,
    ILogger<SendOutboundJob> log)
{
    /// <summary>
    /// A claim older than this belongs to a worker that died mid-send: longer than a send may take
    /// (ChannelResilience.SendDeadline, 40 s) plus recording it, short enough that a resident waits
    /// about a minute, not several, after a crash.
    /// </summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromSeconds(60);

    public async Task RunAsync(Guid outboxId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var staleClaim = now - ClaimTimeout;
        var claimed = await db.Outbox
            .Where(o => o.Id == outboxId && o.SentAt == null && o.WaitingSince == null && (o.ClaimedAt == null || o.ClaimedAt < staleClaim))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.ClaimedAt, now).SetProperty(o => o.Attempts, o => o.Attempts + 1), ct);
        if (claimed == 0) return; // sent already, waiting for the recipient, or another worker is sending it
        await SendClaimedAsync(await db.Outbox.AsNoTracking().FirstAsync(o => o.Id == outboxId, ct), ct);
    }

    /// <summary>
    /// A claim older than this is renewed before its send. Rows written claimed can wait for
    /// another send first (a tip's specialist copies are written with its assignment and go out
    /// after the officer's alert, which may take up to the send deadline); a send started on an
    /// older claim could outlast <see cref="ClaimTimeout"/> and meet a second sender.
    /// </summary>
    public static readonly TimeSpan RenewAfter = TimeSpan.FromSeconds(10);

    // What the mark of a sent message sets.
    private static readonly string[] Sent = [nameof(OutboxRecord.SentAt)];

    /// <summary>Sends a row this worker holds the claim of (claimed above, or written claimed) and marks it sent.</summary>
    public async Task SendClaimedAsync(OutboxRecord record, CancellationToken ct)
    {
        if (!await StillHeldAsync(record, ct)) return;
        var outboxId = record.Id;
        try
        {
            await dispatcher.SendAsync(new ChatAddress(record.Channel, personal.Unprotect(record.ChatId)), OutboxWriter.ToReply(record), ct);
        }
        catch (ChannelSendException e) when (e.Failure == SendFailure.OutsideWindow && record.ChatKey is not null)
        {
            await waiting.HoldAsync(record, CancellationToken.None);
            return;
        }
        catch (ChannelSendException e) when (e.Failure is SendFailure.Permanent or SendFailure.OutsideWindow)
        {
            log.LogWarning("Outbox message {Id} cannot be delivered on {Channel}: {Message}", outboxId, record.Channel, e.Message);
        }
        catch (Exception e)
        {
            await db.Outbox.Where(o => o.Id == outboxId).ExecuteUpdateAsync(s => s.SetProperty(o => o.ClaimedAt, (DateTime?)null), CancellationToken.None);
            if (Deferral.Of(e) is not { } wait) throw; // Hangfire retries later
            jobs.Schedule<SendOutboundJob>(j => j.RunAsync(outboxId, CancellationToken.None), wait);
            return;
        }
        var sentAt = clock.GetUtcNow().UtcDateTime;
        await AfterSend.RecordAsync(() => MarkSentAsync(record, sentAt), log, "an outbox message");
    }

    // Nobody else claims a row before our claim is stale, and their claim is then a minute younger
    // than ours: the row is still ours while its claim is not younger than the one we took. Only
    // an old claim costs the UPDATE; a row taken over (or released, or sent) is left to whoever has it.
    private async Task<bool> StillHeldAsync(OutboxRecord record, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (record.ClaimedAt is not { } claimedAt || now - claimedAt < RenewAfter) return true;
        var ours = claimedAt + TimeSpan.FromMilliseconds(1); // PostgreSQL keeps microseconds, .NET ticks
        var renewed = await db.Outbox.Where(o => o.Id == record.Id && o.SentAt == null && o.ClaimedAt != null && o.ClaimedAt <= ours)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.ClaimedAt, now), ct);
        if (renewed == 1)
        {
            record.ClaimedAt = now;
            return true;
        }
        log.LogInformation("Outbox message {Id} was taken over or finished while it waited to be sent: left to whoever holds it", record.Id);
        return false;
    }

    // An UPDATE of that one column. EF built and looked up an ExecuteUpdate's query on every call, 2 %
    // of the server's CPU under load (docs/benchmarks.md, ninth session), and cannot compile one
    // ahead. A row gone meanwhile (only sent rows are ever deleted) leaves nothing to record.
    private Task MarkSentAsync(OutboxRecord record, DateTime sentAt) => marks.WriteAsync(changes => changes.Update(
        new OutboxRecord { Id = record.Id, Key = record.Key, Channel = record.Channel, ChatId = record.ChatId, Text = record.Text, SentAt = sentAt }, Sent), doneIfGone: true);
}
