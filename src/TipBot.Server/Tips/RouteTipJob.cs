using System.Linq.Expressions;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using TipBot.Core.Routing;
using TipBot.Server.Hosting;
using TipBot.Server.Outbox;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tips;

/// <summary>
/// Decides who gets a tip and records the assignment; the alert is its own job. The assignment's
/// (tip, step) key makes a second run find the first one's decision instead of making another.
/// </summary>
public sealed class RouteTipJob(TipBotDbContext db, RoutingSituationLoader situations, OfficerLoads loads, SpecialistCopies specialists, AlertOfficerJob alerts, SendOutboundJob outbox, IBackgroundJobClient jobs, TipBotMetrics metrics, TimeProvider clock, ILogger<RouteTipJob> log)
{
    // Compiled once: it runs for every tip (see RoutingSituationLoader).
    private static readonly PerModel<Func<TipBotDbContext, Guid, Task<TipRecord?>>> TipById = new(() => EF.CompileAsyncQuery(
        (TipBotDbContext db, Guid id) => db.Tips.AsNoTracking().FirstOrDefault(t => t.Id == id)));

    /// <summary>The Hangfire job: routes the tip, and the alert is a job of its own.</summary>
    public Task RunAsync(Guid tipId, CancellationToken ct) => RouteAsync(tipId, recorded: null, routed: null, alertInline: false, ct);

    /// <summary>
    /// The in-process <see cref="TipRouter"/>: routes and sends the alert in this call; a failed send
    /// goes to Hangfire. <paramref name="recorded"/> is the row just written, when the router has it,
    /// and <paramref name="routed"/> its assignment, when it was written with it (<see cref="FirstAssignment"/>).
    /// </summary>
    public Task RouteAndAlertAsync(Guid tipId, TipRecord? recorded, RoutedTip? routed, CancellationToken ct) => RouteAsync(tipId, recorded, routed, alertInline: true, ct);

    private async Task RouteAsync(Guid tipId, TipRecord? recorded, RoutedTip? routed, bool alertInline, CancellationToken ct)
    {
        var tip = recorded ?? await TipById.For(db)(db, tipId);
        if (tip is null) return;
        var (assignment, assignedHere, copies) = routed is not null
            ? (routed.Assignment, true, routed.Copies)
            : await AssignFirstAsync(tip, alertInline, ct);
        if (assignment.AlertSentAt is null)
        {
            var first = assignment;
            await InProcessOrQueuedAsync<AlertOfficerJob>(alertInline, () => alerts.RunAsync(first, tip, claimed: assignedHere && alertInline, ct), j => j.RunAsync(first.Id, CancellationToken.None), "The alert of a tip");
        }
        // After the officer's alert: the copies are for information, the alert is for action.
        foreach (var copy in copies ?? await specialists.WriteAsync(tip, claimed: alertInline, ct))
            await InProcessOrQueuedAsync<SendOutboundJob>(alertInline, () => outbox.SendClaimedAsync(copy, ct), j => j.RunAsync(copy.Id, CancellationToken.None), "A specialist copy");
    }

    /// <summary>
    /// The tip's first assignment: the one recorded before, or a new one. Its copies when this call
    /// wrote them (null: any are looked for after the alert).
    /// </summary>
    private async Task<(AssignmentRecord Assignment, bool AssignedHere, IReadOnlyList<OutboxRecord>? Copies)> AssignFirstAsync(TipRecord tip, bool alertInline, CancellationToken ct)
    {
        // A tip still "received" has no assignment (the assignment and the status change are one
        // transaction), so only a tip routed before needs looking up; a concurrent first run is
        // caught by the (tip, step) key.
        var recorded = tip.Status == TipStatus.Received ? null
            : await db.Assignments.AsNoTracking().FirstOrDefaultAsync(a => a.TipId == tip.Id && a.Step == 0, ct);
        if (recorded is not null) return (recorded, false, null);
        var decision = RoutingPolicy.Choose(await situations.LoadAsync(tip.UnitCode, ct), tip.UnitCode)
            ?? throw new InvalidOperationException("The directory has no province duty desk to route to");
        // The specialist copies are written with the first assignment, one batch for both (a tip
        // routed before has none to look for); they are sent after the alert. In process the alert
        // goes out next, so the assignment is written with its alert claimed (and the copies with
        // theirs): one UPDATE fewer per tip. Should we die before the sends, the sweep sends them once the claims are stale.
        List<object> copyRows = [];
        var copies = await specialists.AddAsync(tip, claimed: alertInline, firstRun: true, copyRows, ct);
        db.AddRange(copyRows);
        var (assignment, assignedHere) = await RecordAssignmentAsync(db, tip.Id, step: 0, decision, clock, ct, reason: null, claimAlert: alertInline);
        FirstAssignment.Recorded(assignment, loads, metrics, log);
        // A concurrent run's: its copies were dropped with its assignment, looked for after the alert.
        return (assignment, assignedHere, assignedHere ? copies : null);
    }

    /// <summary>In process when the router runs us (a failure goes to Hangfire, which retries), else as a job.</summary>
    private async Task InProcessOrQueuedAsync<TJob>(bool inProcess, Func<Task> run, Expression<Func<TJob, Task>> job, string what)
    {
        if (inProcess)
        {
            try
            {
                await run();
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("{What} failed in process ({Error}); Hangfire retries it", what, e.GetType().Name);
            }
        }
        jobs.Enqueue(job);
    }

    /// <summary>
    /// Records assignment <paramref name="step"/> of a tip, or returns the one a concurrent run
    /// recorded first: (tip, step) is unique.
    /// </summary>
    public static async Task<AssignmentRecord> AssignAsync(TipBotDbContext db, Guid tipId, int step, RouteDecision decision, TimeProvider clock, CancellationToken ct, string? reason = null) =>
        (await RecordAssignmentAsync(db, tipId, step, decision, clock, ct, reason, claimAlert: false)).Assignment;

    /// <summary><see cref="AssignAsync"/>, saying whether this call recorded it (and so holds the alert's claim when <paramref name="claimAlert"/>).</summary>
    private static async Task<(AssignmentRecord Assignment, bool Recorded)> RecordAssignmentAsync(TipBotDbContext db, Guid tipId, int step, RouteDecision decision, TimeProvider clock, CancellationToken ct, string? reason, bool claimAlert)
    {
        List<object> rows = [];
        var assignment = NewAssignment(rows, tipId, step, decision, clock.GetUtcNow().UtcDateTime, reason, claimAlert);
        db.AddRange(rows);
        // Inside the caller's transaction (an escalation), a unique violation is the caller's to handle.
        if (db.Database.CurrentTransaction is not null)
        {
            await db.SaveChangesAsync(ct);
            await MarkAssignedAsync(db, tipId, decision.Unit.Code, ct);
            return (assignment, true);
        }
        // All or nothing: an outage between the writes must not leave an assignment whose tip
        // still says "received" (an officer's accept would then be refused).
        try
        {
            if (step == 0)
            {
                // Only the first assignment moves a tip off "received" (every other change of status
                // needs an assignment), so its new status is a plain update in the same batch: one round trip.
                var marked = new TipRecord { Id = tipId, Code = "", Description = "", Category = "", ReporterChannel = "", ReporterKey = "", Culture = "", Status = TipStatus.Received };
                db.Tips.Attach(marked);
                (marked.Status, marked.AssignedUnitCode) = (TipStatus.Assigned, decision.Unit.Code);
                await db.SaveChangesInOneBatchAsync(ct);
            }
            else
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await db.SaveChangesAsync(ct);
                await MarkAssignedAsync(db, tipId, decision.Unit.Code, ct);
                await transaction.CommitAsync(ct);
            }
            return (assignment, true);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear();
            var first = await db.Assignments.AsNoTracking().FirstAsync(a => a.TipId == tipId && a.Step == step, ct);
            // Repairs a tip an older version left "received" beside its assignment; else changes nothing.
            await db.Tips.Where(t => t.Id == tipId && t.Status == TipStatus.Received).ExecuteUpdateAsync(s => s
                .SetProperty(t => t.Status, TipStatus.Assigned)
                .SetProperty(t => t.AssignedUnitCode, first.UnitCode), ct);
            return (first, false);
        }
    }

    /// <summary>Adds assignment <paramref name="step"/> of a tip and its event to <paramref name="rows"/>.</summary>
    internal static AssignmentRecord NewAssignment(ICollection<object> rows, Guid tipId, int step, RouteDecision decision, DateTime now, string? reason, bool claimAlert)
    {
        var assignment = new AssignmentRecord
        {
            Id = RecordIds.New(),
            TipId = tipId,
            Step = step,
            OfficerId = decision.Officer.Id,
            UnitCode = decision.Unit.Code,
            Reason = reason ?? decision.Reason.ToString(),
            CreatedAt = now,
            AlertClaimedAt = claimAlert ? now : null,
        };
        rows.Add(assignment);
        rows.Add(new TipEventRecord { TipId = tipId, Kind = step == 0 ? "assigned" : "reassigned", At = now, Detail = $"{decision.Unit.Code} {decision.Reason} {decision.Officer.Id}" });
        return assignment;
    }

    private static Task MarkAssignedAsync(TipBotDbContext db, Guid tipId, string unitCode, CancellationToken ct) =>
        db.Tips.Where(t => t.Id == tipId).ExecuteUpdateAsync(s => s
            .SetProperty(t => t.Status, t => t.Status == TipStatus.Received ? TipStatus.Assigned : t.Status)
            .SetProperty(t => t.AssignedUnitCode, unitCode), ct);
}
