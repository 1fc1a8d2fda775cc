using Hangfire;
using Microsoft.EntityFrameworkCore;
using TipBot.Core.Messaging;
using TipBot.Core.Routing;
using TipBot.Dialogs.Resources;
using TipBot.Server.Directory;
using TipBot.Server.Outbox;
using TipBot.Server.Hosting;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tips;

/// <summary>
/// Runs when an alert's acknowledgement time is up (<see cref="EscalationClock"/>). Accepted,
/// closed or already moved on: nothing to do, and the timer is stopped. Otherwise the tip goes to
/// the next in line (backup, duty desk, province) as the next step of the tip — (tip, step) is
/// unique, so a second run moves nothing twice — and the earlier officer is told the alert moved.
/// </summary>
public sealed class EscalateJob(
    TipBotDbContext db,
    RoutingSituationLoader situations,
    DirectoryCache directory,
    OutboxWriter outbox,
    IBackgroundJobClient jobs,
    TipBotMetrics metrics,
    TimeProvider clock,
    ILogger<EscalateJob> log)
{
    public async Task RunAsync(Guid assignmentId, CancellationToken ct)
    {
        var assignment = await db.Assignments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == assignmentId, ct);
        if (assignment is not { Status: AssignmentStatus.Alerted, AlertSentAt: not null }) return;
        var now = clock.GetUtcNow().UtcDateTime;
        if (assignment.EscalateAt is null || assignment.EscalateAt > now) return; // stopped, or not due yet: the clock comes back then
        var tip = await db.Tips.AsNoTracking().FirstAsync(t => t.Id == assignment.TipId, ct);
        if (tip.AcceptedAt is not null || tip.Status is TipStatus.Resolved or TipStatus.Duplicate)
        {
            await StopTimerAsync(assignmentId, ct);
            return;
        }

        var tried = (await db.Assignments.AsNoTracking().Where(a => a.TipId == tip.Id).Select(a => a.OfficerId).ToListAsync(ct)).ToHashSet();
        var next = RoutingPolicy.Escalate(await situations.LoadAsync(assignment.UnitCode, ct), assignment.UnitCode, tried);
        if (next is null)
        {
            log.LogWarning("Tip {TipId} is unacknowledged and nobody is left to escalate to", tip.Id);
            await StopTimerAsync(assignmentId, ct);
            return;
        }

        var earlier = (await directory.GetAsync(ct)).Officers.FirstOrDefault(o => o.Id == assignment.OfficerId);
        // One transaction: a crash between "moved" and the next assignment would leave the tip with
        // no live assignment, which no sweep looks for.
        AssignmentRecord? escalated = null;
        Guid? movedNotice = null;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var moved = await db.Assignments.Where(a => a.Id == assignmentId && a.Status == AssignmentStatus.Alerted)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AssignmentStatus.Moved), ct);
            if (moved == 0) return; // accepted or moved meanwhile
            db.TipEvents.Add(new TipEventRecord { TipId = tip.Id, Kind = "escalated", At = now, Detail = $"{assignment.OfficerId} -> {next.Officer.Id}" });
            try
            {
                escalated = await RouteTipJob.AssignAsync(db, tip.Id, assignment.Step + 1, next, clock, ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                // The tip was moved on by someone else (not my area, a reassignment): nothing to escalate.
            }
            if (escalated is not null)
            {
                if (earlier is not null)
                    movedNotice = await outbox.AddAsync(db, $"moved:{assignmentId:N}", new ChatAddress(earlier.Channel, earlier.ChatId),
                        new Reply(Texts.Format("vi", "AlertMoved", tip.Code)), ct);
                await transaction.CommitAsync(ct);
            }
        }
        if (escalated is null)
        {
            // Rolled back; this assignment's timer must not bring the clock back every second.
            db.ChangeTracker.Clear();
            await StopTimerAsync(assignmentId, ct);
            return;
        }
        jobs.Enqueue<AlertOfficerJob>(j => j.RunAsync(escalated.Id, CancellationToken.None));
        if (movedNotice is { } id) jobs.Enqueue<SendOutboundJob>(j => j.RunAsync(id, CancellationToken.None));
        log.LogInformation("Tip {TipId} escalated from {From} to {To}", tip.Id, assignment.OfficerId, next.Officer.Id);
        metrics.Escalations.Add(1);
    }

    private Task StopTimerAsync(Guid assignmentId, CancellationToken ct) =>
        db.Assignments.Where(a => a.Id == assignmentId).ExecuteUpdateAsync(s => s.SetProperty(a => a.EscalateAt, (DateTime?)null), ct);
}
