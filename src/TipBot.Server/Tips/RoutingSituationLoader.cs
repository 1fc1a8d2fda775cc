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

    public async Task<RoutingSituation> LoadAsync(string? unitCode, CancellationToken ct)
    {
        var units = await directory.GetAsync(ct);
        var unit = units.FindUnit(unitCode);
        var lineUnits = new[] { unit?.Code, unit?.ParentCode, units.Province?.Code }.OfType<string>().ToHashSet(StringComparer.Ordinal);
        var candidates = units.Officers.Where(o => lineUnits.Contains(o.UnitCode)).Select(o => o.Id).ToList();
        var offDuty = (await db.Officers.AsNoTracking().Where(o => !o.OnDuty && candidates.Contains(o.Id)).Select(o => o.Id).ToListAsync(ct)).ToHashSet();
        var shifts = await db.DutyShifts.AsNoTracking().Where(s => candidates.Contains(s.OfficerId))
            .Select(s => new DutyShift(s.OfficerId, s.Day, s.StartMinute, s.EndMinute)).ToListAsync(ct);
        var mine = db.Assignments.AsNoTracking().Where(a => candidates.Contains(a.OfficerId));
        var live = mine
            .Where(a => a.Status == AssignmentStatus.Alerted || a.Status == AssignmentStatus.Accepted)
            .Where(a => db.Tips.Any(t => t.Id == a.TipId && OpenStatuses.Contains(t.Status)));
        var open = await live.GroupBy(a => a.OfficerId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var last = await mine.GroupBy(a => a.OfficerId)
            .Select(g => new { g.Key, At = g.Max(a => a.CreatedAt) }).ToDictionaryAsync(x => x.Key, x => x.At, ct);
        return new RoutingSituation(units, new DutyRoster(shifts, offDuty), clock.GetUtcNow(), open,
            last.ToDictionary(kv => kv.Key, kv => new DateTimeOffset(DateTime.SpecifyKind(kv.Value, DateTimeKind.Utc))));
    }
}
