using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TipBot.Server.Conversations;
using TipBot.Server.Hosting;
using TipBot.Server.Notices;
using TipBot.Server.Outbox;
using TipBot.Server.Persistence;
using TipBot.Server.Tips;

using TipBot.Channels.Zalo;
using TipBot.Server.Channels;

namespace TipBot.Server.Jobs;

/// <summary>
/// The records are the truth and the queue only a means: this recurring job (and one run at
/// start) re-enqueues whatever the records say is still pending, so a crash that took the queue
/// with it (the embedded in-memory queue always dies with the process) loses nothing.
/// </summary>
public sealed class SweepJob(
    TipBotDbContext db,
    IBackgroundJobClient jobs,
    PendingTurnSweep turns,
    SpecialistCopies specialists,
    ZaloTokenStore zaloTokens,
    IOptions<ZaloOptions> zalo,
    TimeProvider clock,
    IOptions<JobsOptions> options,
    IOptions<BroadcastOptions> broadcast,
    ILogger<SweepJob> log)
{
    public const string RecurringId = "tipbot-sweep";

    public async Task RunAsync(CancellationToken ct)
    {
        var grace = options.Value.SweepGrace;
        var before = clock.GetUtcNow().UtcDateTime - grace;

        var unrouted = await db.Tips.AsNoTracking().Where(t => t.Status == TipStatus.Received && t.ReceivedAt < before)
            .OrderBy(t => t.ReceivedAt).Select(t => t.Id).Take(1000).ToListAsync(ct);
        foreach (var id in unrouted) jobs.Enqueue<RouteTipJob>(j => j.RunAsync(id, CancellationToken.None));

        var unalerted = await db.Assignments.AsNoTracking().Where(a => a.AlertSentAt == null && a.Status == AssignmentStatus.Alerted && a.CreatedAt < before)
            .OrderBy(a => a.CreatedAt).Select(a => a.Id).Take(1000).ToListAsync(ct);
        foreach (var id in unalerted) jobs.Enqueue<AlertOfficerJob>(j => j.RunAsync(id, CancellationToken.None));

        // A re-run of routing finds the tip's assignment and writes only the copies that are missing.
        var uninformed = await specialists.NeverInformedAsync(before, ct);
        foreach (var id in uninformed) jobs.Enqueue<RouteTipJob>(j => j.RunAsync(id, CancellationToken.None));

        var unsent = await db.Outbox.AsNoTracking().Where(o => o.SentAt == null && o.WaitingSince == null && o.CreatedAt < before)
            .OrderBy(o => o.CreatedAt).Select(o => o.Id).Take(1000).ToListAsync(ct);
        foreach (var id in unsent) jobs.Enqueue<SendOutboundJob>(j => j.RunAsync(id, CancellationToken.None));

        var pendingTurns = await turns.RunAsync(grace, ct);

        // Broadcasts: unplanned notices, and channels with deliveries that nobody is working on
        // (no lease renewed lately: a live worker renews its own every few seconds).
        var stale = clock.GetUtcNow().UtcDateTime - broadcast.Value.ClaimLease;
        // A scheduled notice counts once its time has passed (never before), as a queued one does.
        var unplanned = await db.Notices.AsNoTracking()
            .Where(n => (n.Status == NoticeStatus.Queued && n.CreatedAt < before) || (n.Status == NoticeStatus.Scheduled && n.SendAt < before))
            .Select(n => n.Id).ToListAsync(ct);
        foreach (var id in unplanned) jobs.Enqueue<BroadcastJob>(j => j.PlanAsync(id, CancellationToken.None));
        // Only where no worker has claimed anything lately: a running fan-out is left alone.
        var idle = await db.NoticeDeliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Pending && (d.ClaimedAt == null || d.ClaimedAt < stale)
                && db.Notices.Any(n => n.Id == d.NoticeId && n.Status == NoticeStatus.Sending && n.PlannedAt < before)
                && !db.NoticeDeliveries.Any(o => o.NoticeId == d.NoticeId && o.Channel == d.Channel && o.ClaimedAt >= stale))
            .Select(d => new { d.NoticeId, d.Channel }).Distinct().ToListAsync(ct);
        foreach (var work in idle) jobs.Enqueue<BroadcastJob>(j => j.SendAsync(work.NoticeId, work.Channel, CancellationToken.None));

        await RefreshZaloTokenAsync(ct);

        if (unrouted.Count + unalerted.Count + uninformed.Count + unsent.Count + pendingTurns > 0)
            log.LogInformation("Sweep re-enqueued {Tips} tip(s), {Alerts} alert(s), {Uninformed} tip(s) without specialist copies, {Outbox} message(s); finished {Turns} turn(s)",
                unrouted.Count, unalerted.Count, uninformed.Count, unsent.Count, pendingTurns);
    }

    // Zalo access tokens last about 25 hours: renewed here, ZaloTokenStore.RefreshAhead before they
    // expire, rather than by the first resident's reply that finds the token stale.
    private async Task RefreshZaloTokenAsync(CancellationToken ct)
    {
        if (!zalo.Value.Enabled || !zalo.Value.CanRefresh) return;
        try
        {
            await zaloTokens.RefreshIfDueAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Scheduled Zalo token refresh failed ({Error}); the next send or sweep tries again", e.GetType().Name);
        }
    }
}
