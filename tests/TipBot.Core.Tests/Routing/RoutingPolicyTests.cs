using TipBot.Core.Directory;
using TipBot.Core.Routing;

namespace TipBot.Core.Tests;

public class RoutingPolicyTests
{
    private static readonly Unit Province = new("48", "Thành phố Đà Nẵng", UnitType.Province, null, []);
    private static readonly Unit HaiChau = new("20242", "Phường Hải Châu", UnitType.Ward, "48", []);
    private static readonly Unit HoaCuong = new("20257", "Phường Hoà Cường", UnitType.Ward, "48", []);
    private static readonly Unit TamThanh = new("20901", "Xã Tam Thanh", UnitType.Commune, "48", []);

    private static Officer Officer(string id, Unit unit, OfficerRole role) =>
        new(id, "Cán bộ " + id, unit.Code, role, "telegram", "chat-" + id, null);

    private static readonly Dictionary<string, int> NoOpenTips = [];
    private static readonly DateTimeOffset Monday10h = new(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(7));

    private static RouteDecision? Choose(UnitDirectory directory, string? unitCode, IReadOnlyDictionary<string, int> open) =>
        RoutingPolicy.Choose(new RoutingSituation(directory, DutyRoster.Everyone, Monday10h, open, new Dictionary<string, DateTimeOffset>()), unitCode);

    private static UnitDirectory Directory(params Officer[] officers) => new([Province, HaiChau, HoaCuong, TamThanh], officers);

    [Fact]
    public void Unit_officer_with_fewest_open_tips_is_chosen()
    {
        var directory = Directory(
            Officer("o-1", HaiChau, OfficerRole.Officer),
            Officer("o-2", HaiChau, OfficerRole.Officer),
            Officer("o-3", HaiChau, OfficerRole.Officer),
            Officer("b-1", HaiChau, OfficerRole.Backup),
            Officer("d-1", Province, OfficerRole.DutyDesk));

        var decision = Choose(directory, HaiChau.Code, new Dictionary<string, int> { ["o-1"] = 3, ["o-2"] = 1, ["o-3"] = 2 });

        Assert.NotNull(decision);
        Assert.Equal("o-2", decision.Officer.Id);
        Assert.Equal(HaiChau, decision.Unit);
        Assert.Equal(RouteReason.UnitOfficer, decision.Reason);
    }

    [Fact]
    public void Ties_between_unit_officers_go_to_the_lowest_id()
    {
        var directory = Directory(
            Officer("o-b", HaiChau, OfficerRole.Officer),
            Officer("o-a", HaiChau, OfficerRole.Officer),
            Officer("o-c", HaiChau, OfficerRole.Officer));

        var decision = Choose(directory, HaiChau.Code, new Dictionary<string, int> { ["o-c"] = 1 });

        Assert.Equal("o-a", decision?.Officer.Id);
    }

    [Fact]
    public void Unit_without_an_officer_goes_to_its_backup_not_to_another_units_officer()
    {
        var directory = Directory(
            Officer("a-1", HoaCuong, OfficerRole.Officer), // another unit's officer is never chosen
            Officer("b-2", HaiChau, OfficerRole.Backup),
            Officer("b-1", HaiChau, OfficerRole.Backup),
            Officer("d-1", Province, OfficerRole.DutyDesk));

        var decision = Choose(directory, HaiChau.Code, new Dictionary<string, int> { ["b-1"] = 4 });

        Assert.NotNull(decision);
        Assert.Equal("b-2", decision.Officer.Id);
        Assert.Equal(HaiChau, decision.Unit);
        Assert.Equal(RouteReason.UnitBackup, decision.Reason);
    }

    [Fact]
    public void Unit_without_officer_or_backup_goes_to_the_parent_duty_desk()
    {
        var directory = Directory(
            Officer("o-1", HoaCuong, OfficerRole.Officer),
            Officer("d-1", Province, OfficerRole.DutyDesk));

        var decision = Choose(directory, TamThanh.Code, NoOpenTips);

        Assert.NotNull(decision);
        Assert.Equal("d-1", decision.Officer.Id);
        Assert.Equal(TamThanh, decision.Unit);
        Assert.Equal(RouteReason.ParentDutyDesk, decision.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("99999")]
    public void Unknown_place_goes_to_the_province_duty_desk(string? unitCode)
    {
        var directory = Directory(
            Officer("o-1", HaiChau, OfficerRole.Officer),
            Officer("d-2", Province, OfficerRole.DutyDesk),
            Officer("d-1", Province, OfficerRole.DutyDesk));

        var decision = Choose(directory, unitCode, new Dictionary<string, int> { ["d-1"] = 1 });

        Assert.NotNull(decision);
        Assert.Equal("d-2", decision.Officer.Id);
        Assert.Equal(Province, decision.Unit);
        Assert.Equal(RouteReason.ProvinceDutyDesk, decision.Reason);
    }

    [Fact]
    public void Province_level_code_goes_to_the_province_duty_desk()
    {
        var directory = Directory(
            Officer("o-48", Province, OfficerRole.Officer),
            Officer("d-1", Province, OfficerRole.DutyDesk));

        var decision = Choose(directory, Province.Code, NoOpenTips);

        Assert.NotNull(decision);
        Assert.Equal("d-1", decision.Officer.Id);
        Assert.Equal(RouteReason.ProvinceDutyDesk, decision.Reason);
    }

    [Fact]
    public void Nobody_to_receive_a_tip_gives_no_decision()
    {
        var directory = Directory(Officer("o-1", HoaCuong, OfficerRole.Officer));

        Assert.Null(Choose(directory, TamThanh.Code, NoOpenTips));
        Assert.Null(Choose(directory, null, NoOpenTips));
    }

    [Fact]
    public void Officers_off_duty_or_outside_their_shift_are_skipped()
    {
        var directory = Directory(
            Officer("o-1", HaiChau, OfficerRole.Officer),
            Officer("o-2", HaiChau, OfficerRole.Officer),
            Officer("o-3", HaiChau, OfficerRole.Officer));
        // o-1 said /offduty; o-2 works Monday 18:00-06:00; o-3 works Monday 08:00-17:00 (Vietnam time).
        var roster = new DutyRoster([new DutyShift("o-2", 1, 18 * 60, 6 * 60), new DutyShift("o-3", 1, 8 * 60, 17 * 60)], new HashSet<string> { "o-1" });
        var situation = new RoutingSituation(directory, roster, Monday10h, NoOpenTips, new Dictionary<string, DateTimeOffset>());

        Assert.Equal("o-3", RoutingPolicy.Choose(situation, HaiChau.Code)?.Officer.Id);
        Assert.Equal("o-2", RoutingPolicy.Choose(situation with { Now = Monday10h.AddHours(19) }, HaiChau.Code)?.Officer.Id); // Tuesday 05:00
    }

    [Fact]
    public void Ties_go_round_robin_to_the_officer_assigned_least_recently()
    {
        var directory = Directory(Officer("o-1", HaiChau, OfficerRole.Officer), Officer("o-2", HaiChau, OfficerRole.Officer));
        var last = new Dictionary<string, DateTimeOffset> { ["o-1"] = Monday10h.AddMinutes(-1), ["o-2"] = Monday10h.AddMinutes(-5) };

        var decision = RoutingPolicy.Choose(new RoutingSituation(directory, DutyRoster.Everyone, Monday10h, NoOpenTips, last), HaiChau.Code);

        Assert.Equal("o-2", decision?.Officer.Id);
    }

    [Fact]
    public void Escalation_goes_to_the_backup_then_the_duty_desk_then_nobody()
    {
        var directory = Directory(
            Officer("o-1", HaiChau, OfficerRole.Officer),
            Officer("o-2", HaiChau, OfficerRole.Officer),
            Officer("b-1", HaiChau, OfficerRole.Backup),
            Officer("d-1", Province, OfficerRole.DutyDesk));
        var situation = new RoutingSituation(directory, DutyRoster.Everyone, Monday10h, NoOpenTips, new Dictionary<string, DateTimeOffset>());

        var first = RoutingPolicy.Escalate(situation, HaiChau.Code, new HashSet<string> { "o-1" });
        var second = RoutingPolicy.Escalate(situation, HaiChau.Code, new HashSet<string> { "o-1", "b-1" });
        var none = RoutingPolicy.Escalate(situation, HaiChau.Code, new HashSet<string> { "o-1", "b-1", "d-1" });

        Assert.Equal(("b-1", RouteReason.UnitBackup), (first?.Officer.Id, first?.Reason));
        Assert.Equal(("d-1", RouteReason.ParentDutyDesk), (second?.Officer.Id, second?.Reason));
        Assert.Null(none);
    }
}
