using TipBot.Core.Directory;

namespace TipBot.Core.Routing;

/// <summary>Why a recipient was chosen, kept in the tip's history.</summary>
public enum RouteReason { UnitOfficer, UnitBackup, ParentDutyDesk, ProvinceDutyDesk }

public sealed record RouteDecision(Officer Officer, Unit Unit, RouteReason Reason);

/// <summary>What routing needs to know about officers right now.</summary>
public sealed record RoutingSituation(
    UnitDirectory Directory,
    DutyRoster Roster,
    DateTimeOffset Now,
    IReadOnlyDictionary<string, int> OpenTips,
    IReadOnlyDictionary<string, DateTimeOffset> LastAssigned)
{
    public bool OnDuty(Officer officer) => Roster.IsOnDuty(officer.Id, Now);
}

/// <summary>
/// Who receives a tip: the unit's officers on duty, the one with the fewest open tips (ties go to
/// whoever was assigned least recently, a round-robin); else a backup on duty; else the duty desk of
/// the parent unit; a tip whose place is unknown goes to the province duty desk for triage.
/// Escalation walks the same line past everyone already tried: backup, duty desk, province.
/// </summary>
public static class RoutingPolicy
{
    public static RouteDecision? Choose(RoutingSituation situation, string? unitCode) =>
        Line(situation, unitCode, includeUnitOfficers: true).FirstOrDefault();

    /// <summary>The next in line after the officers already alerted for this tip, or null when nobody is left.</summary>
    public static RouteDecision? Escalate(RoutingSituation situation, string? unitCode, IReadOnlySet<string> alreadyAlerted) =>
        Line(situation, unitCode, includeUnitOfficers: false).FirstOrDefault(d => !alreadyAlerted.Contains(d.Officer.Id));

    private static IEnumerable<RouteDecision> Line(RoutingSituation s, string? unitCode, bool includeUnitOfficers)
    {
        var directory = s.Directory;
        var unit = directory.FindUnit(unitCode);
        var province = directory.Province;
        if (unit is null || unit.Type == UnitType.Province)
        {
            if (province is not null)
                foreach (var desk in DutyDesk(s, province))
                    yield return new RouteDecision(desk, unit ?? province, RouteReason.ProvinceDutyDesk);
            yield break;
        }
        if (includeUnitOfficers)
            foreach (var officer in Ranked(s, directory.OfficersOf(unit.Code).Where(o => o.Role == OfficerRole.Officer && s.OnDuty(o))))
                yield return new RouteDecision(officer, unit, RouteReason.UnitOfficer);
        foreach (var backup in Ranked(s, directory.OfficersOf(unit.Code).Where(o => o.Role == OfficerRole.Backup && s.OnDuty(o))))
            yield return new RouteDecision(backup, unit, RouteReason.UnitBackup);
        var parent = directory.FindUnit(unit.ParentCode);
        if (parent is not null)
            foreach (var desk in DutyDesk(s, parent))
                yield return new RouteDecision(desk, unit, RouteReason.ParentDutyDesk);
        if (province is not null && parent?.Code != province.Code)
            foreach (var desk in DutyDesk(s, province))
                yield return new RouteDecision(desk, unit, RouteReason.ProvinceDutyDesk);
    }

    // A duty desk is staffed around the clock: its accounts are used whatever the roster says,
    // those on duty first.
    private static IEnumerable<Officer> DutyDesk(RoutingSituation s, Unit unit) =>
        s.Directory.OfficersOf(unit.Code).Where(o => o.Role == OfficerRole.DutyDesk)
            .OrderBy(o => s.OnDuty(o) ? 0 : 1)
            .ThenBy(o => s.OpenTips.GetValueOrDefault(o.Id))
            .ThenBy(o => o.Id, StringComparer.Ordinal);

    private static IEnumerable<Officer> Ranked(RoutingSituation s, IEnumerable<Officer> officers) =>
        officers
            .OrderBy(o => s.OpenTips.GetValueOrDefault(o.Id))
            .ThenBy(o => s.LastAssigned.TryGetValue(o.Id, out var at) ? at : DateTimeOffset.MinValue)
            .ThenBy(o => o.Id, StringComparer.Ordinal);
}
