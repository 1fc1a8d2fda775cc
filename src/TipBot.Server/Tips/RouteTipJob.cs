using Hangfire;
using Microsoft.EntityFrameworkCore;
using TipBot.Core.Routing;
using TipBot.Server.Directory;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tips;

/// <summary>
/// Decides who gets a tip and records the assignment; the alert is its own job. The assignment's
/// (tip, step) key makes a second run find the first one's decision instead of making another.
/// </summary>
public sealed class RouteTipJob(TipBotDbContext db, DirectoryCache directory, IBackgroundJobClient jobs, TimeProvider clock, ILogger<RouteTipJob> log)
{
    public async Task RunAsync(Guid tipId, CancellationToken ct)
    {
        var tip = await db.Tips.FirstOrDefaultAsync(t => t.Id == tipId, ct);
        if (tip is null) return;

        var assignment = await db.Assignments.AsNoTracking().FirstOrDefaultAsync(a => a.TipId == tipId && a.Step == 0, ct);
        if (assignment is null)
        {
            var units = await directory.GetAsync(ct);
            var open = await db.Assignments.AsNoTracking()
                .Where(a => a.AcceptedAt == null || db.Tips.Any(t => t.Id == a.TipId && t.Status != TipStatus.Accepted))
                .GroupBy(a => a.OfficerId).Select(g => new { g.Key, Count = g.Count() })
                .ToDictionaryAsync(x => x.Key, x => x.Count, ct);
            var decision = RoutingPolicy.Choose(units, tip.UnitCode, open)
                ?? throw new InvalidOperationException("The directory has no province duty desk to route to");

            var now = clock.GetUtcNow().UtcDateTime;
            assignment = new AssignmentRecord
            {
                Id = Guid.NewGuid(),
                TipId = tip.Id,
                Step = 0,
                OfficerId = decision.Officer.Id,
                UnitCode = decision.Unit.Code,
                Reason = decision.Reason.ToString(),
                CreatedAt = now,
            };
            db.Assignments.Add(assignment);
            tip.Status = TipStatus.Assigned;
            tip.AssignedUnitCode = decision.Unit.Code;
            db.TipEvents.Add(new TipEventRecord { TipId = tip.Id, Kind = "assigned", At = now, Detail = $"{decision.Unit.Code} {decision.Reason}" });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
            {
                log.LogInformation("Tip {TipId} was routed concurrently", tipId);
                db.ChangeTracker.Clear();
                assignment = await db.Assignments.AsNoTracking().FirstAsync(a => a.TipId == tipId && a.Step == 0, ct);
            }
            log.LogInformation("Tip {TipId} assigned to officer {OfficerId} ({Reason})", tipId, assignment.OfficerId, assignment.Reason);
        }
        if (assignment.AlertSentAt is null)
        {
            var id = assignment.Id;
            jobs.Enqueue<AlertOfficerJob>(j => j.RunAsync(id, CancellationToken.None));
        }
    }
}
