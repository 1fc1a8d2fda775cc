using TipBot.Core.Directory;
using TipBot.Core.Routing;
using TipBot.Server.Directory;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tips;

/// <summary>
/// Reads what routing needs right now: who is off duty and the rosters (<see cref="DutyRosterCache"/>),
/// and — for the officers who could get this tip (its unit's, its parent's and the province's) —
/// their open tips and when each was last given one (<see cref="OfficerLoads"/>).
/// </summary>
public sealed class RoutingSituationLoader(TipBotDbContext db, DirectoryCache directory, DutyRosterCache duty, OfficerLoads loads, TimeProvider clock)
{
    public async Task<RoutingSituation> LoadAsync(string? unitCode, CancellationToken ct)
    {
        var (units, roster, candidates) = await CandidatesAsync(unitCode, ct);
        var (open, last) = await loads.GetAsync(db, candidates, ct);
        return new RoutingSituation(units, roster, clock.GetUtcNow(), open, last);
    }

    /// <summary>The situation by the officers' figures as they are, or null when some are missing or old (see <see cref="OfficerLoads.TryGetFresh"/>).</summary>
    public async Task<RoutingSituation?> LoadFreshAsync(string? unitCode, CancellationToken ct)
    {
        var (units, roster, candidates) = await CandidatesAsync(unitCode, ct);
        return loads.TryGetFresh(candidates, out var open, out var last) ? new RoutingSituation(units, roster, clock.GetUtcNow(), open, last) : null;
    }

    private async Task<(UnitDirectory Units, DutyRoster Roster, List<string> Candidates)> CandidatesAsync(string? unitCode, CancellationToken ct)
    {
        var units = await directory.GetAsync(ct);
        var unit = units.FindUnit(unitCode);
        var lineUnits = new[] { unit?.Code, unit?.ParentCode, units.Province?.Code }.OfType<string>().ToHashSet(StringComparer.Ordinal);
        var candidates = units.Officers.Where(o => lineUnits.Contains(o.UnitCode)).Select(o => o.Id).ToList();
        return (units, await duty.GetAsync(ct), candidates);
    }
}
