using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Server.Officers;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Webhooks;

/// <summary>The officer's side after the alert: relay, resolve, not my area, duty, linking — and who may act.</summary>
[Collection("integration")]
public abstract class OfficerActionTests(StoreMode mode) : IAsyncLifetime
{
    private TipBotApp _app = null!;

    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(mode);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<(long Resident, string Code, SentMessage Actions)> AcceptedTipInHaiChauAsync()
    {
        var resident = ResidentScript.NewResident();
        var code = await _app.ReportDrugTipInHaiChauAsync(resident);
        var alert = await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code);
        await _app.SendAsync(TelegramUpdates.Button(TipBotApp.HaiChauOfficer, alert.Button("acc:")));
        var actions = await _app.MessageAsync(TipBotApp.HaiChauOfficer, m => m.Text.Contains("Bạn đã tiếp nhận") && m.Text.Contains(code), "accept confirmation");
        return (resident, code, actions);
    }

    [Fact]
    public async Task An_officers_question_and_the_answer_are_relayed_without_revealing_either_side()
    {
        var (resident, code, actions) = await AcceptedTipInHaiChauAsync();

        await _app.SendAsync(TelegramUpdates.Button(TipBotApp.HaiChauOfficer, actions.Button("ask:")));
        await _app.SendAsync(TelegramUpdates.Text(TipBotApp.HaiChauOfficer, "Bạn thấy biển số xe của nhóm đó không?"));
        var question = await _app.MessageAsync(resident, m => m.Text.Contains("Bạn thấy biển số xe"), "question relayed");
        Assert.Contains(code, question.Text);

        await _app.SendAsync(TelegramUpdates.Button(resident, question.Button("ans:")));
        await _app.SendAsync(TelegramUpdates.Text(resident, "Có, biển 43C1-123.45, xe Wave màu đỏ"));
        var answer = await _app.MessageAsync(TipBotApp.HaiChauOfficer, m => m.Text.Contains("43C1-123.45"), "answer relayed");
        Assert.Contains(code, answer.Text);

        foreach (var message in _app.Telegram.SentTo(TipBotApp.HaiChauOfficer))
        {
            Assert.DoesNotContain(resident.ToString(), message.Text);
            Assert.DoesNotContain("Test Firstname", message.Text);
            Assert.DoesNotContain("Testusername", message.Text);
        }
        foreach (var message in _app.Telegram.SentTo(resident))
        {
            Assert.DoesNotContain(TipBotApp.HaiChauOfficer.ToString(), message.Text);
            Assert.DoesNotContain("Nguyễn Văn An", message.Text);
            Assert.DoesNotContain("0905000001", message.Text);
        }
        var events = await _app.WithDbAsync(db => db.TipEvents.OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync());
        Assert.Contains("info_requested", events);
        Assert.Contains("info_received", events);
    }

    [Fact]
    public async Task Information_the_tipster_adds_later_reaches_the_officer_handling_the_tip()
    {
        var (resident, code, _) = await AcceptedTipInHaiChauAsync();

        await _app.SendAsync(TelegramUpdates.Text(resident, "/bosung " + code));
        await _app.SendAsync(TelegramUpdates.Text(resident, "Tối nay tụi nó lại tới, đi 2 xe SH trắng"));

        var added = await _app.MessageAsync(TipBotApp.HaiChauOfficer, m => m.Text.Contains("2 xe SH trắng"), "addition relayed");
        Assert.Contains(code, added.Text);
        Assert.DoesNotContain(resident.ToString(), added.Text);
    }

    [Fact]
    public async Task Resolving_a_tip_records_the_outcome_and_tells_the_resident()
    {
        var (resident, code, actions) = await AcceptedTipInHaiChauAsync();

        await _app.SendAsync(TelegramUpdates.Button(TipBotApp.HaiChauOfficer, actions.Button("res:")));
        var outcomes = _app.Telegram.SentTo(TipBotApp.HaiChauOfficer).Last();
        await _app.SendAsync(TelegramUpdates.Button(TipBotApp.HaiChauOfficer, outcomes.Button("out:verified:")));

        await _app.MessageAsync(resident, m => m.Text.Contains(code) && m.Text.Contains("xử lý xong"), "resident told of the outcome");
        var tip = Assert.Single(await _app.TipsAsync());
        Assert.Equal((TipStatus.Resolved, "verified"), (tip.Status, tip.Outcome));
    }

    [Fact]
    public async Task Not_my_area_sends_the_tip_to_the_unit_the_officer_names()
    {
        var resident = ResidentScript.NewResident();
        var code = await _app.ReportDrugTipInHaiChauAsync(resident);
        var alert = await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code);

        await _app.SendAsync(TelegramUpdates.Button(TipBotApp.HaiChauOfficer, alert.Button("area:")));
        await _app.SendAsync(TelegramUpdates.Text(TipBotApp.HaiChauOfficer, "p. Hoà Cường"));

        await _app.AlertForAsync(TipBotApp.HoaCuongOfficer, code);
        var tip = Assert.Single(await _app.TipsAsync());
        Assert.Equal(("20257", "20257"), (tip.UnitCode, tip.AssignedUnitCode));
        var statuses = await _app.WithDbAsync(db => db.Assignments.OrderBy(a => a.Step).Select(a => a.Status).ToListAsync());
        Assert.Equal([AssignmentStatus.Declined, AssignmentStatus.Alerted], statuses);
    }

    [Fact]
    public async Task A_chat_that_is_not_an_officer_cannot_act_on_a_tip()
    {
        var code = await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident());
        var alert = await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code);
        var stranger = ResidentScript.NewResident();

        await _app.SendAsync(TelegramUpdates.Button(stranger, alert.Button("acc:")));
        await _app.SendAsync(TelegramUpdates.Button(stranger, alert.Button("area:")));

        Assert.Equal(TipStatus.Assigned, Assert.Single(await _app.TipsAsync()).Status);
        Assert.All(_app.Telegram.SentTo(stranger), m => Assert.DoesNotContain(code, m.Text));
        Assert.Single(await _app.WithDbAsync(db => db.Assignments.ToListAsync()));
    }

    [Fact]
    public async Task Tips_in_a_row_are_shared_between_a_wards_officers_before_the_loads_are_read_again()
    {
        await using (var scope = _app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<TipBot.Server.Directory.DirectoryImporter>().ImportAsync(
                new StringReader(TestDirectory.Units),
                new StringReader(TestDirectory.Officers + "\no2-20242,Hoàng Văn Em,20242,officer,telegram,5000011,\n"), CancellationToken.None);

        var officers = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var code = await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident());
            officers.Add(await Eventually.Get<string?>(
                () => _app.WithDbAsync(db => db.Assignments.Where(a => db.Tips.Any(t => t.Id == a.TipId && t.Code == code)).Select(a => a.OfficerId).FirstOrDefaultAsync()),
                officer => officer is not null, "tip routed") ?? "");
        }

        // Within OfficerLoads.MaxAge of each other: this node counts its own assignments forward.
        Assert.Equal(["o-20242", "o2-20242", "o-20242", "o2-20242"], officers);
    }

    [Fact]
    public async Task An_officer_off_duty_gets_no_new_tips_and_the_backup_does()
    {
        // A tip first, so that routing has read (and cached) the duty roster before the change.
        var before = await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident());
        await _app.AlertForAsync(TipBotApp.HaiChauOfficer, before);

        await _app.SendAsync(TelegramUpdates.Text(TipBotApp.HaiChauOfficer, "/offduty"));
        await Eventually.Get(() => _app.WithDbAsync(db => db.Officers.Where(o => o.Id == "o-20242").Select(o => o.OnDuty).SingleAsync()), on => !on, "off duty recorded");

        var code = await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident());

        await _app.AlertForAsync(TipBotApp.HaiChauBackup, code);
        Assert.DoesNotContain(_app.Telegram.SentTo(TipBotApp.HaiChauOfficer), m => m.Text.Contains(code));
        var tip = await _app.WithDbAsync(db => db.Tips.SingleAsync(t => t.Code == code));
        Assert.Equal("UnitBackup", Assert.Single(await _app.WithDbAsync(db => db.Assignments.Where(a => a.TipId == tip.Id).ToListAsync())).Reason);
    }

    [Fact]
    public async Task An_officer_links_a_new_chat_with_a_one_time_code_and_alerts_go_there()
    {
        string linkCode;
        await using (var scope = _app.Services.CreateAsyncScope())
            linkCode = await scope.ServiceProvider.GetRequiredService<LinkCodes>().IssueAsync("o-20194", CancellationToken.None);
        const long newPhone = 5000777;

        await _app.SendAsync(TelegramUpdates.Text(newPhone, "/link " + linkCode.ToLowerInvariant()));
        await _app.MessageAsync(newPhone, m => m.Text.Contains("Lê Văn Cường"), "link confirmation");
        await _app.SendAsync(TelegramUpdates.Text(ResidentScript.NewResident(), "/link " + linkCode)); // used already
        var code = await _app.ReportTipAsync(ResidentScript.NewResident(), "Có người trộm xe máy ở phường Hải Vân", "time:today", "anon:yes", "confirm:send");

        await _app.AlertForAsync(newPhone, code);
        Assert.DoesNotContain(_app.Telegram.SentTo(TipBotApp.HaiVanOfficer), m => m.Text.Contains(code));
    }
}

public sealed class OfficerActionsOnEmbeddedStores() : OfficerActionTests(StoreMode.Embedded);

public sealed class OfficerActionsOnRedisAndPostgres() : OfficerActionTests(StoreMode.Production);
