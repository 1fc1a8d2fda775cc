using System.Threading.Channels;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TipBot.Channels;
using TipBot.Core.Messaging;
using TipBot.Server.Persistence;

namespace TipBot.Server.Notices;

/// <summary>
/// Fans a notice out: first one delivery row per recipient (unique per notice and chat, so
/// planning twice adds nobody twice), then per channel, batches of rows claimed by this worker and
/// sent at the channel's configured pace, each marked right after its send. A crash or restart
/// resumes with the rows still pending: nobody gets the notice twice, except for a message the
/// platform took in the instant before the crash.
/// </summary>
public sealed class BroadcastJob(
    TipBotDbContext db,
    IServiceScopeFactory scopes,
    ChannelDispatcher dispatcher,
    BroadcastPacer pacer,
    PersonalData personal,
    IOptions<BroadcastOptions> options,
    IBackgroundJobClient jobs,
    TimeProvider clock,
    ILogger<BroadcastJob> log)
{
    // Each attempt is one send (no inline retries, see DeliverAsync), so a few more than a job gets.
    private const int MaxAttempts = 10;

    public async Task PlanAsync(Guid noticeId, CancellationToken ct)
    {
        var notice = await db.Notices.AsNoTracking().FirstOrDefaultAsync(n => n.Id == noticeId, ct);
        if (notice is null) return;
        if (notice.Status == NoticeStatus.Scheduled)
        {
            var now = clock.GetUtcNow();
            if (notice.SendAt is { } at && new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) is var due && due > now)
            {
                // Early (another node's clock ran ahead): wait for the time; the sweep would also pick it up then.
                jobs.Schedule<BroadcastJob>(j => j.PlanAsync(noticeId, CancellationToken.None), due);
                return;
            }
            // The same conditional update as a cancel: whichever comes first wins, never both.
            await db.Notices.Where(n => n.Id == noticeId && n.Status == NoticeStatus.Scheduled)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.Status, NoticeStatus.Queued), ct);
            notice = await db.Notices.AsNoTracking().FirstAsync(n => n.Id == noticeId, ct);
        }
        if (notice.Status == NoticeStatus.Queued)
        {
            int planned;
            try
            {
                planned = await InsertDeliveriesAsync(notice, ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                // Another run is planning this notice (the sweep and the schedule at once): it finishes the job.
                log.LogInformation("Notice {NoticeId} is being planned by another worker", noticeId);
                return;
            }
            await db.Notices.Where(n => n.Id == noticeId && n.Status == NoticeStatus.Queued).ExecuteUpdateAsync(s => s
                .SetProperty(n => n.Status, NoticeStatus.Sending)
                .SetProperty(n => n.PlannedAt, clock.GetUtcNow().UtcDateTime), ct);
            log.LogInformation("Notice {NoticeId} planned for {Count} recipient(s)", noticeId, planned);
        }
        var pendingChannels = await db.NoticeDeliveries.AsNoTracking()
            .Where(d => d.NoticeId == noticeId && d.Status == DeliveryStatus.Pending).Select(d => d.Channel).Distinct().ToListAsync(ct);
        foreach (var channel in pendingChannels) jobs.Enqueue<BroadcastJob>(j => j.SendAsync(noticeId, channel, CancellationToken.None));
        if (pendingChannels.Count == 0) await CompleteIfDoneAsync(noticeId, ct);
    }

    /// <summary>
    /// Sends a channel's pending deliveries of a notice. Any number of these may run on one notice
    /// and channel (a restart's resume, the sweep, a Hangfire redelivery after a kill): claims are
    /// exclusive leases and the pace is shared per process.
    /// </summary>
    /// <remarks>
    /// A claim is a lease (<see cref="BroadcastOptions.ClaimLease"/>, 10 s), not a lock until done:
    /// this worker renews it while it works (<see cref="Leases"/>), so a killed worker's rows come
    /// free seconds after the kill instead of minutes, and a live one is never robbed. Rows are
    /// claimed about a second's worth at a time, the next batch while the last is being sent, so the
    /// pace never waits on a claim. When nothing is left to claim but other workers still hold rows,
    /// this worker waits once for the first of those leases to run out: a dead worker's rows are then
    /// claimable and sent here; a live worker renews its lease and finishes them itself.
    /// </remarks>
    /// <summary>
    /// One delivery row per recipient, in one set-based statement: a resident subscribed to several
    /// of the units gets one copy, and a row planned by an earlier run is not planned again. Copying
    /// 20,000 subscribers through EF took seconds before the first notice went out.
    /// </summary>
    private Task<int> InsertDeliveriesAsync(NoticeRecord notice, CancellationToken ct)
    {
        var parameters = new List<object> { notice.Id, DeliveryStatus.Pending, DeliveryStatus.Skipped };
        string List(IEnumerable<string> values) => string.Join(", ", values.Select(v => { parameters.Add(v); return $"{{{parameters.Count - 1}}}"; }));
        var supported = NoticeBroadcasts.KnownChannels.Where(dispatcher.Supports).ToList();
        var units = notice.UnitCodes?.Split('|');
        var channels = notice.Channels?.Split('|');
        var supportedList = supported.Count == 0 ? "NULL" : List(supported);
        var unitFilter = units is null ? "" : "AND s.\"UnitCode\" IN (" + List(units) + ")";
        var channelFilter = channels is null ? "" : "AND s.\"Channel\" IN (" + List(channels) + ")";
        var sql = $$"""
            INSERT INTO notice_deliveries ("NoticeId", "Channel", "ChatId", "ChatKey", "Status", "Attempts", "Culture")
            SELECT {0}, s."Channel", MIN(s."ChatId"), s."ChatKey",
                   CASE WHEN s."Channel" IN ({{supportedList}}) THEN {1} ELSE {2} END, 0, MIN(s."Culture")
            FROM subscribers s
            WHERE s."Active" {{unitFilter}} {{channelFilter}}
              AND NOT EXISTS (SELECT 1 FROM notice_deliveries d WHERE d."NoticeId" = {0} AND d."Channel" = s."Channel" AND d."ChatKey" = s."ChatKey")
            GROUP BY s."Channel", s."ChatKey"
            """;
        return db.Database.ExecuteSqlRawAsync(sql, parameters, ct);
    }

    public async Task SendAsync(Guid noticeId, string channel, CancellationToken ct)
    {
        var notice = await db.Notices.AsNoTracking().FirstOrDefaultAsync(n => n.Id == noticeId, ct);
        if (notice is null || notice.Status != NoticeStatus.Sending) return;
        var o = options.Value;
        var pace = pacer.For(channel, o.PaceFor(channel));
        var batchSize = o.BatchSizeFor(pace.MessagesPerSecond);
        var parallel = o.ParallelSendsFor(pace.MessagesPerSecond);

        await using var leases = new Leases(scopes, clock, o.ClaimLease, noticeId, log);
        await using var marks = new SentMarks(scopes, clock, log);
        var waitedForOthers = false;
        while (true)
        {
            var sent = await SendClaimableAsync(notice, channel, pace, batchSize, parallel, leases, marks, ct);
            if (sent > 0)
            {
                // Transient failures went back to pending: look again.
                waitedForOthers = false;
                continue;
            }
            // Every send of this worker recorded, whatever is still pending and leased is another
            // worker's (or a row this one let go of, unsure of its lease).
            await marks.FlushAsync();
            var othersFreeAt = await LeasedUntilAsync(noticeId, channel, ct);
            if (othersFreeAt is not { } freeAt || waitedForOthers) break;
            waitedForOthers = true;
            var wait = freeAt - clock.GetUtcNow().UtcDateTime + TimeSpan.FromMilliseconds(100);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, clock, ct);
        }
        await marks.FlushAsync();
        await CompleteIfDoneAsync(noticeId, ct);
    }

    /// <summary>Claims and sends until nothing is claimable; returns how many rows it claimed.</summary>
    private async Task<int> SendClaimableAsync(NoticeRecord notice, string channel, Pace pace, int batchSize, int parallel,
        Leases leases, SentMarks marks, CancellationToken ct)
    {
        var rows = Channel.CreateBounded<(NoticeDeliveryRecord Delivery, Guid Token)>(new BoundedChannelOptions(batchSize) { SingleWriter = true });
        var claimed = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var claimer = Task.Run(async () =>
        {
            try
            {
                while (await ClaimBatchAsync(notice.Id, channel, batchSize, leases, stop.Token) is { Rows.Count: > 0 } batch)
                {
                    claimed += batch.Rows.Count;
                    foreach (var row in batch.Rows) await rows.Writer.WriteAsync((row, batch.Token), stop.Token);
                }
                rows.Writer.Complete();
            }
            catch (Exception e)
            {
                rows.Writer.Complete(e);
            }
        }, CancellationToken.None);
        try
        {
            await Parallel.ForEachAsync(rows.Reader.ReadAllAsync(ct), new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = ct },
                async (row, token) =>
                {
                    await pace.WaitAsync(token);
                    // Not sure the lease still holds (renewals failing): leave the row to whoever claims it next.
                    if (!leases.Holds(row.Token)) return;
                    await DeliverAsync(notice, row.Delivery, marks, pace, token);
                });
        }
        finally
        {
            // A failed send must not leave the claimer waiting for room that never comes.
            await stop.CancelAsync();
            await claimer;
        }
        return claimed;
    }

    private sealed record ClaimedBatch(Guid Token, List<NoticeDeliveryRecord> Rows);

    private async Task<ClaimedBatch> ClaimBatchAsync(Guid noticeId, string channel, int batchSize, Leases leases, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var stale = now - options.Value.ClaimLease;
        var token = Guid.NewGuid();
        var candidates = await db.NoticeDeliveries.AsNoTracking()
            .Where(d => d.NoticeId == noticeId && d.Channel == channel && d.Status == DeliveryStatus.Pending && (d.ClaimedAt == null || d.ClaimedAt < stale))
            .OrderBy(d => d.Id).Select(d => d.Id).Take(batchSize).ToListAsync(ct);
        if (candidates.Count == 0) return new(token, []);
        // The conditions again: of two workers that read the same candidates, each row goes to one.
        await db.NoticeDeliveries
            .Where(d => candidates.Contains(d.Id) && d.Status == DeliveryStatus.Pending && (d.ClaimedAt == null || d.ClaimedAt < stale))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimToken, token).SetProperty(d => d.ClaimedAt, now).SetProperty(d => d.Attempts, d => d.Attempts + 1), ct);
        leases.Claimed(token, now);
        return new(token, await db.NoticeDeliveries.AsNoTracking().Where(d => candidates.Contains(d.Id) && d.ClaimToken == token).OrderBy(d => d.Id).ToListAsync(ct));
    }

    /// <summary>When the first lease still held on this notice's pending rows runs out; null if none is held.</summary>
    private async Task<DateTime?> LeasedUntilAsync(Guid noticeId, string channel, CancellationToken ct)
    {
        var stale = clock.GetUtcNow().UtcDateTime - options.Value.ClaimLease;
        var earliest = await db.NoticeDeliveries.AsNoTracking()
            .Where(d => d.NoticeId == noticeId && d.Channel == channel && d.Status == DeliveryStatus.Pending && d.ClaimedAt != null && d.ClaimedAt >= stale)
            .MinAsync(d => d.ClaimedAt, ct);
        return earliest + options.Value.ClaimLease;
    }

    private async Task DeliverAsync(NoticeRecord notice, NoticeDeliveryRecord delivery, SentMarks marks, Pace pace, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var rows = scope.ServiceProvider.GetRequiredService<TipBotDbContext>().NoticeDeliveries.Where(d => d.Id == delivery.Id);
        try
        {
            var message = NoticeMessage.For(notice, delivery.Culture, scope.ServiceProvider.GetRequiredService<NoticeImages>());
            // One attempt: a retry goes back to the queue and waits for a slot of the pace.
            await dispatcher.SendOnceAsync(new ChatAddress(delivery.Channel, personal.Unprotect(delivery.ChatId)), message, ct);
            marks.Sent(delivery.Id);
        }
        catch (ChannelSendException e) when (e.Failure == SendFailure.OutsideWindow)
        {
            // Still subscribed, but the platform takes nothing from us until they write: skip this notice.
            await rows.ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Skipped), CancellationToken.None);
        }
        catch (ChannelSendException e) when (e.Failure == SendFailure.Permanent)
        {
            // Blocked the bot, left the platform: stop sending them notices.
            await rows.ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Failed), CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<TipBotDbContext>().Subscribers
                .Where(s => s.Channel == delivery.Channel && s.ChatKey == delivery.ChatKey)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Active, false), CancellationToken.None);
        }
        catch (ChannelSendException e)
        {
            // Rate limit or blip that outlived the inline retries: back to pending, tried again later.
            var failed = delivery.Attempts >= MaxAttempts;
            await rows.ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, failed ? DeliveryStatus.Failed : DeliveryStatus.Pending)
                .SetProperty(d => d.ClaimedAt, failed ? clock.GetUtcNow().UtcDateTime : (DateTime?)null), CancellationToken.None);
            // A 429 pauses the whole channel's pace, not only this message.
            if (e.Failure == SendFailure.RateLimited && e.RetryAfter is { } wait) pace.PauseFor(wait);
        }
    }

    private async Task CompleteIfDoneAsync(Guid noticeId, CancellationToken ct)
    {
        if (await db.NoticeDeliveries.AnyAsync(d => d.NoticeId == noticeId && d.Status == DeliveryStatus.Pending, ct)) return;
        var done = await db.Notices.Where(n => n.Id == noticeId && n.Status == NoticeStatus.Sending).ExecuteUpdateAsync(s => s
            .SetProperty(n => n.Status, NoticeStatus.Done)
            .SetProperty(n => n.DoneAt, clock.GetUtcNow().UtcDateTime), ct);
        if (done == 1) log.LogInformation("Notice {NoticeId} delivered", noticeId);
    }
}
