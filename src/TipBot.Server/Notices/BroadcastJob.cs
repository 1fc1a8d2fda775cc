using System.Collections.Concurrent;
using System.Threading.RateLimiting;
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
    /// <summary>A claim older than this belongs to a worker that died.</summary>
    public static readonly TimeSpan ClaimTimeout = TimeSpan.FromMinutes(2);
    private const int MaxAttempts = 5;

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
            var units = notice.UnitCodes?.Split('|');
            var channels = notice.Channels?.Split('|');
            var recipients = await db.Subscribers.AsNoTracking()
                .Where(s => s.Active && (units == null || units.Contains(s.UnitCode)) && (channels == null || channels.Contains(s.Channel)))
                .Select(s => new { s.Channel, s.ChatId, s.ChatKey, s.Culture })
                .ToListAsync(ct);
            var planned = (await db.NoticeDeliveries.AsNoTracking().Where(d => d.NoticeId == noticeId)
                .Select(d => new { d.Channel, d.ChatKey }).ToListAsync(ct)).Select(d => (d.Channel, d.ChatKey)).ToHashSet();
            // A resident subscribed to several of the units gets one copy.
            foreach (var batch in recipients.DistinctBy(r => (r.Channel, r.ChatKey)).Where(r => !planned.Contains((r.Channel, r.ChatKey))).Chunk(1000))
            {
                db.NoticeDeliveries.AddRange(batch.Select(r => new NoticeDeliveryRecord
                {
                    NoticeId = noticeId,
                    Channel = r.Channel,
                    ChatId = r.ChatId,
                    ChatKey = r.ChatKey,
                    Culture = r.Culture,
                    Status = dispatcher.Supports(r.Channel) ? DeliveryStatus.Pending : DeliveryStatus.Skipped,
                }));
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
                {
                    // Another run is planning this notice (the sweep and the schedule at once): it finishes the job.
                    log.LogInformation("Notice {NoticeId} is being planned by another worker", noticeId);
                    return;
                }
                db.ChangeTracker.Clear();
            }
            await db.Notices.Where(n => n.Id == noticeId && n.Status == NoticeStatus.Queued).ExecuteUpdateAsync(s => s
                .SetProperty(n => n.Status, NoticeStatus.Sending)
                .SetProperty(n => n.PlannedAt, clock.GetUtcNow().UtcDateTime), ct);
            log.LogInformation("Notice {NoticeId} planned for {Count} recipient(s)", noticeId, recipients.Count);
        }
        var pendingChannels = await db.NoticeDeliveries.AsNoTracking()
            .Where(d => d.NoticeId == noticeId && d.Status == DeliveryStatus.Pending).Select(d => d.Channel).Distinct().ToListAsync(ct);
        foreach (var channel in pendingChannels) jobs.Enqueue<BroadcastJob>(j => j.SendAsync(noticeId, channel, CancellationToken.None));
        if (pendingChannels.Count == 0) await CompleteIfDoneAsync(noticeId, ct);
    }

    public async Task SendAsync(Guid noticeId, string channel, CancellationToken ct)
    {
        var notice = await db.Notices.AsNoTracking().FirstOrDefaultAsync(n => n.Id == noticeId, ct);
        if (notice is null) return;
        var limiter = pacer.For(channel, options.Value.RateFor(channel));
        while (await ClaimBatchAsync(noticeId, channel, ct) is { Count: > 0 } batch)
        {
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
                async (delivery, token) =>
                {
                    using var lease = await limiter.AcquireAsync(1, token);
                    await DeliverAsync(notice, delivery, token);
                });
        }
        await CompleteIfDoneAsync(noticeId, ct);
    }

    private async Task<List<NoticeDeliveryRecord>> ClaimBatchAsync(Guid noticeId, string channel, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var stale = now - ClaimTimeout;
        var token = Guid.NewGuid();
        var candidates = await db.NoticeDeliveries.AsNoTracking()
            .Where(d => d.NoticeId == noticeId && d.Channel == channel && d.Status == DeliveryStatus.Pending && (d.ClaimedAt == null || d.ClaimedAt < stale))
            .OrderBy(d => d.Id).Select(d => d.Id).Take(options.Value.BatchSize).ToListAsync(ct);
        if (candidates.Count == 0) return [];
        await db.NoticeDeliveries
            .Where(d => candidates.Contains(d.Id) && d.Status == DeliveryStatus.Pending && (d.ClaimedAt == null || d.ClaimedAt < stale))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimToken, token).SetProperty(d => d.ClaimedAt, now).SetProperty(d => d.Attempts, d => d.Attempts + 1), ct);
        return await db.NoticeDeliveries.AsNoTracking().Where(d => d.ClaimToken == token).OrderBy(d => d.Id).ToListAsync(ct);
    }

    private async Task DeliverAsync(NoticeRecord notice, NoticeDeliveryRecord delivery, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var rows = scope.ServiceProvider.GetRequiredService<TipBotDbContext>().NoticeDeliveries.Where(d => d.Id == delivery.Id);
        try
        {
            var message = NoticeMessage.For(notice, delivery.Culture, scope.ServiceProvider.GetRequiredService<NoticeImages>());
            await dispatcher.SendAsync(new ChatAddress(delivery.Channel, personal.Unprotect(delivery.ChatId)), message, ct);
            await rows.ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Sent).SetProperty(d => d.SentAt, clock.GetUtcNow().UtcDateTime), CancellationToken.None);
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
            if (e.RetryAfter is { } wait) await Task.Delay(wait, ct);
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

/// <summary>
/// One token bucket per channel in this process, shared by every broadcast job, so two notices at
/// once do not double the pace. (Several nodes each keep their own: divide the rate by the nodes.)
/// </summary>
public sealed class BroadcastPacer
{
    private readonly ConcurrentDictionary<string, TokenBucketRateLimiter> _limiters = new();

    public RateLimiter For(string channel, double messagesPerSecond) => _limiters.GetOrAdd(channel, _ =>
    {
        // Refill ten times a second (or once per message below 10/s), so the bucket never
        // releases more than a tenth of a second's worth at once.
        var fast = messagesPerSecond >= 10;
        var perTick = fast ? (int)Math.Round(messagesPerSecond / 10) : 1;
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perTick,
            TokensPerPeriod = perTick,
            ReplenishmentPeriod = fast ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1 / Math.Max(messagesPerSecond, 0.01)),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    });
}
