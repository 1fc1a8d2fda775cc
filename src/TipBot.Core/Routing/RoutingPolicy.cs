using TipBot.Core.Directory;

namespace TipBot.Core.Routing;

/// <summary>Why a recipient was chosen, kept in the tip's history.</summary>
public enum RouteReason { UnitOfficer, UnitBackup, ParentDutyDesk, ProvinceDutyDesk }

public sealed record RouteDecision(Officer Officer, Unit Unit, RouteReason Reason);

/// <summary>
/// Who receives a tip: the unit's officer (the one with the fewest open tips), else its backup,
/// else the duty desk of the parent unit; a tip whose place is unknown goes to the province duty
/// desk for triage.
/// </summary>
public static class RoutingPolicy
{
    public static RouteDecision? Choose(UnitDirectory directory, string? unitCode, IReadOnlyDictionary<string, int> openTipsByOfficer)
    {
        var unit = directory.FindUnit(unitCode);
        if (unit is not null && unit.Type != UnitType.Province)
        {
            var pick = Least(directory.OfficersOf(unit.Code).Where(o => o.Role == OfficerRole.Officer), openTipsByOfficer);
            if (pick is not null) return new RouteDecision(pick, unit, RouteReason.UnitOfficer);
            pick = Least(directory.OfficersOf(unit.Code).Where(o => o.Role == OfficerRole.Backup), openTipsByOfficer);
            if (pick is not null) return new RouteDecision(pick, unit, RouteReason.UnitBackup);
            var parent = directory.FindUnit(unit.ParentCode);
            var desk = parent is null ? null : Least(DutyDesk(directory, parent), openTipsByOfficer);
            if (desk is not null) return new RouteDecision(desk, unit, RouteReason.ParentDutyDesk);
        }
        var province = directory.Province;
        if (province is null) return null;
        var provinceDesk = Least(DutyDesk(directory, province), openTipsByOfficer);
        return provinceDesk is null ? null : new RouteDecision(provinceDesk, unit ?? province, RouteReason.ProvinceDutyDesk);
    }

    private static IEnumerable<Officer> DutyDesk(UnitDirectory directory, Unit unit) =>
        directory.OfficersOf(unit.Code).Where(o => o.Role == OfficerRole.DutyDesk);

    // Fewest open tips first; ties go by id so the choice is stable and testable.
    private static Officer? Least(IEnumerable<Officer> officers, IReadOnlyDictionary<string, int> open) =>
        officers.OrderBy(o => open.GetValueOrDefault(o.Id)).ThenBy(o => o.Id, StringComparer.Ordinal).FirstOrDefault();
}
