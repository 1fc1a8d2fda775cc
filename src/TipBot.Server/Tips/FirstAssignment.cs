using TipBot.Core.Routing;
using TipBot.Server.Hosting;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tips;

/// <summary>A tip's first assignment and specialist copies, written with the tip: the router only sends them.</summary>
public sealed record RoutedTip(AssignmentRecord Assignment, IReadOnlyList<OutboxRecord> Copies);

/// <summary>
/// Chooses a new tip's officer while its row is being written, so the tip, its assignment (the
/// alert claimed for the in-process router) and its specialist copies are one write instead of
/// two. The choice is what <see cref="RouteTipJob"/> would make a moment later, from the same
/// cached figures; a tip nobody can be chosen for is written alone and routed as before. So is a
/// tip whose officers' figures are missing or old: the resident's turn never waits for their
/// count (<see cref="OfficerLoads"/>), the router reads them.
/// </summary>
/// <remarks>
/// Each write of a tip costs an EF SaveChanges (the server's largest cost) and, on the embedded
/// default, a turn at SQLite's single writer (docs/benchmarks.md, twelfth session).
/// </remarks>
public sealed class FirstAssignment(RoutingSituationLoader situations, OfficerLoads loads, SpecialistCopies specialists, TipBotMetrics metrics, TimeProvider clock, ILogger<FirstAssignment> log)
{
    /// <summary>
    /// Adds the assignment, its event and the copies to <paramref name="rows"/>, the tip's own
    /// save; null when it leaves the tip to the router. Everything is read before anything is
    /// added, so a failure leaves the rows as they were.
    /// </summary>
    public async Task<RoutedTip?> AddAsync(TipRecord tip, ICollection<object> rows, CancellationToken ct)
    {
        if (await situations.LoadFreshAsync(tip.UnitCode, ct) is not { } situation || RoutingPolicy.Choose(situation, tip.UnitCode) is not { } decision) return null;
        var copies = await specialists.AddAsync(tip, claimed: true, firstRun: true, rows, ct);
        var assignment = RouteTipJob.NewAssignment(rows, tip.Id, step: 0, decision, clock.GetUtcNow().UtcDateTime, reason: null, claimAlert: true);
        (tip.Status, tip.AssignedUnitCode) = (TipStatus.Assigned, decision.Unit.Code);
        return new RoutedTip(assignment, copies);
    }

    /// <summary>Once the write is committed: routing counts the officer's new tip.</summary>
    public void Recorded(RoutedTip routed) => Recorded(routed.Assignment, loads, metrics, log);

    internal static void Recorded(AssignmentRecord assignment, OfficerLoads loads, TipBotMetrics metrics, ILogger log)
    {
        loads.Assigned(assignment.OfficerId, assignment.CreatedAt);
        log.LogInformation("Tip {TipId} assigned to officer {OfficerId} ({Reason})", assignment.TipId, assignment.OfficerId, assignment.Reason);
        metrics.TipsRouted.Add(1, new KeyValuePair<string, object?>("reason", assignment.Reason));
    }
}
