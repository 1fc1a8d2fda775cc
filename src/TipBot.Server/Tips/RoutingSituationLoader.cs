using Microsoft.EntityFrameworkCore;
using TipBot.Core.Routing;
using TipBot.Server.Directory;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tips;

/// <summary>
/// Reads what routing needs right now from the records: who is off duty, the rosters, and — for
/// the officers who could get this tip (its unit's, its parent's and the province's) — their open
/// tips and when each was last given one (for the round-robin). Only those officers: counting
/// every officer's assignments on every tip made routing slower with each tip ever received.
/// </summary>
public sealed class RoutingSituationLoader(TipBotDbContext db, DirectoryCache directory, TimeProvider clock)
{
    private static readonly string[] OpenStatuses = [TipStatus.Received, TipStatus.Assigned, TipStatus.Accepted];

    // Compiled once: these run for every tip, and extracting a LINQ query's parameters and
    // finding it in EF's cache cost more CPU than running it (docs/benchmarks.md, third session).
    private static readonly PerModel<Func<TipBotDbContext, List<string>, IAsyncEnumerable<string>>> OffDuty = new(() => EF.CompileAsyncQuery(
        (TipBotDbContext db, List<string> officers) => db.Officers.AsNoTracking().Where(o => !o.OnDuty && officers.Contains(o.Id)).Select(o => o.Id)));

    private static readonly PerModel<Func<TipBotDbContext, List<string>, IAsyncEnumerable<DutyShift>>> Shifts = new(() => EF.CompileAsyncQuery(
        (TipBotDbContext db, List<string> officers) => db.DutyShifts.AsNoTracking().Where(s => officers.Contains(s.OfficerId))
            .Select(s => new DutyShift(s.OfficerId, s.Day, s.StartMinute, s.EndMinute))));

    private static readonly PerModel<Func<TipBotDbContext, List<string>, IAsyncEnumerable<OfficerCount>>> OpenTips = new(() => EF.CompileAsyncQuery(
        (TipBotDbContext db, List<string> officers) => db.Assignments.AsNoTracking()
            .Where(a => officers.Contains(a.OfficerId) && (a.Status == AssignmentStatus.Alerted || a.Status == AssignmentStatus.Accepted))
            .Where(a => db.Tips.Any(t => t.Id == a.TipId && OpenStatuses.Contains(t.Status)))
            .GroupBy(a => a.OfficerId).Select(g => new OfficerCount(g.Key, g.Count()))));

    private static readonly PerModel<Func<TipBotDbContext, List<string>, IAsyncEnumerable<OfficerLast>>> LastAssigned = new(() => EF.CompileAsyncQuery(
        (TipBotDbContext db, List<string> officers) => db.Assignments.AsNoTracking().Where(a => officers.Contains(a.OfficerId))
            .GroupBy(a => a.OfficerId).Select(g => new OfficerLast(g.Key, g.Max(a => a.CreatedAt)))));

    private sealed record OfficerCount(string OfficerId, int Count);
    private sealed record OfficerLast(string OfficerId, DateTime At);

    public async Task<RoutingSituation> LoadAsync(string? unitCode, CancellationToken ct)
    {
        var units = await directory.GetAsync(ct);
        var unit = units.FindUnit(unitCode);
        var lineUnits = new[] { unit?.Code, unit?.ParentCode, units.Province?.Code }.OfType<string>().ToHashSet(StringComparer.Ordinal);
        var candidates = units.Officers.Where(o => lineUnits.Contains(o.UnitCode)).Select(o => o.Id).ToList();
        var offDuty = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var id in OffDuty.For(db)(db, candidates).WithCancellation(ct)) offDuty.Add(id);
        var shifts = new List<DutyShift>();
        await foreach (var shift in Shifts.For(db)(db, candidates).WithCancellation(ct)) shifts.Add(shift);
        var open = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var officer in OpenTips.For(db)(db, candidates).WithCancellation(ct)) open[officer.OfficerId] = officer.Count;
        var last = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        await foreach (var officer in LastAssigned.For(db)(db, candidates).WithCancellation(ct)) last[officer.OfficerId] = officer.At;
        return new RoutingSituation(units, new DutyRoster(shifts, offDuty), clock.GetUtcNow(), open,
            last.ToDictionary(kv => kv.Key, kv => new DateTimeOffset(DateTime.SpecifyKind(kv.Value, DateTimeKind.Utc))));
    }
}
