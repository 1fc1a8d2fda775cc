using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Core.Messaging;
using TipBot.Server.Outbox;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;
using TipBot.Server.Tips;

namespace TipBot.Server.Tests.Webhooks;

/// <summary>
/// Routing:Specialists (appsettings.json: drugs → 48-PC04): the ward officer gets the tip to act
/// on, the city's drug unit a copy to know of it — once, without buttons, without the tipster.
/// </summary>
[Collection("integration")]
public abstract class SpecialistRoutingTests(StoreMode mode) : IAsyncLifetime
{
    private TipBotApp _app = null!;

    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(mode);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_drugs_tip_goes_to_the_ward_officer_and_a_copy_to_the_drug_unit_once()
    {
        var code = await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident());

        await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code);
        var copy = await _app.MessageAsync(TipBotApp.DrugUnitDesk, m => m.Text.Contains(code), "copy for the drug unit");
        Assert.Empty(copy.Buttons);
        Assert.Contains("Phường Hải Châu", copy.Text);
        Assert.Contains("ẩn danh", copy.Text);

        // Routing runs again (a retry, the sweep): nobody is told twice.
        var tip = Assert.Single(await _app.TipsAsync());
        await using (var scope = _app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<RouteTipJob>().RunAsync(tip.Id, CancellationToken.None);
        await Eventually.Get(() => _app.WithDbAsync(db => db.Outbox.CountAsync(o => o.SentAt == null)), n => n == 0, "outbox sent");
        Assert.Single(_app.Telegram.SentTo(TipBotApp.DrugUnitDesk), m => m.Text.Contains(code));
        Assert.Single(_app.Telegram.SentTo(TipBotApp.HaiChauOfficer), m => m.Text.Contains(code));
        Assert.Single(await _app.WithDbAsync(db => db.TipEvents.Where(e => e.Kind == "informed" && e.Detail == "48-PC04").ToListAsync()));
    }

    [Fact]
    public async Task The_copies_a_router_killed_after_the_assignment_never_wrote_are_sent_by_the_sweep_once()
    {
        // What a process killed between a drugs tip's first assignment and its copies leaves behind:
        // the tip routed and its officer alerted, no copy and no "informed" event.
        var at = DateTime.UtcNow.AddMinutes(-2);
        var code = "TB-" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var tip = new TipRecord
        {
            Id = Guid.NewGuid(), SubmissionId = Guid.NewGuid(), Code = code, Description = "Bán ma túy gần chợ Hàn", Category = "drugs",
            UnitCode = "20242", AssignedUnitCode = "20242", ReporterChannel = "telegram", ReporterKey = "k" + code, Culture = "vi",
            Status = TipStatus.Assigned, ReceivedAt = at, Anonymous = true,
        };
        await _app.WithDbAsync(async db =>
        {
            db.Tips.Add(tip);
            db.Assignments.Add(new AssignmentRecord
            {
                Id = Guid.NewGuid(), TipId = tip.Id, Step = 0, OfficerId = "o-20242", UnitCode = "20242", Reason = "UnitOfficer",
                CreatedAt = at, AlertClaimedAt = at, AlertSentAt = at, EscalateAt = DateTime.UtcNow.AddHours(1),
            });
            return await db.SaveChangesAsync();
        });

        await SweepAsync();
        await _app.MessageAsync(TipBotApp.DrugUnitDesk, m => m.Text.Contains(code), "the copy for the drug unit");
        await SweepAsync(); // the next sweep finds the copy written
        await Eventually.Get(() => _app.WithDbAsync(db => db.Outbox.CountAsync(o => o.SentAt == null)), n => n == 0, "outbox sent");

        Assert.Single(_app.Telegram.SentTo(TipBotApp.DrugUnitDesk), m => m.Text.Contains(code));
        Assert.DoesNotContain(_app.Telegram.SentTo(TipBotApp.HaiChauOfficer), m => m.Text.Contains(code)); // alerted before: not again
        Assert.Single(await _app.WithDbAsync(db => db.TipEvents.Where(e => e.TipId == tip.Id && e.Kind == "informed").ToListAsync()));
    }

    [Fact]
    public async Task A_copy_that_waited_past_the_renewal_age_is_sent_once_while_still_ours_and_not_at_all_once_taken_over()
    {
        // Copies written claimed with a tip's assignment wait for the officer's alert; this one
        // waited 30 s (a slow alert), the other 70 s, after which the sweep's job took it over.
        var now = DateTime.UtcNow;
        var drugUnit = new ChatAddress("telegram", TipBotApp.DrugUnitDesk.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var writer = _app.Services.GetRequiredService<OutboxWriter>();
        var waited = writer.ToRecord("inform:test:waited", drugUnit, new Reply("Bản sao chờ 30 giây"));
        var takenOver = writer.ToRecord("inform:test:taken-over", drugUnit, new Reply("Bản sao đã được người khác nhận"));
        (waited.ClaimedAt, waited.Attempts) = (now.AddSeconds(-30), 1);
        (takenOver.ClaimedAt, takenOver.Attempts) = (now, 2); // the other worker's claim, as stored
        await _app.WithDbAsync(async db =>
        {
            db.Outbox.AddRange(waited, takenOver);
            return await db.SaveChangesAsync();
        });
        takenOver.ClaimedAt = now.AddSeconds(-70); // the claim the router took, as it still holds it

        foreach (var record in new[] { waited, takenOver })
        {
            await using var scope = _app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SendOutboundJob>().SendClaimedAsync(record, CancellationToken.None);
        }

        Assert.Single(_app.Telegram.SentTo(TipBotApp.DrugUnitDesk), m => m.Text == "Bản sao chờ 30 giây");
        Assert.DoesNotContain(_app.Telegram.SentTo(TipBotApp.DrugUnitDesk), m => m.Text == "Bản sao đã được người khác nhận");
        var rows = await _app.WithDbAsync(db => db.Outbox.AsNoTracking().Where(o => o.Key.StartsWith("inform:test:")).ToDictionaryAsync(o => o.Key));
        Assert.NotNull(rows["inform:test:waited"].SentAt);
        Assert.True(rows["inform:test:waited"].ClaimedAt > now.AddSeconds(-1), "the waited copy's claim was renewed before its send");
        Assert.Null(rows["inform:test:taken-over"].SentAt); // the other worker's to send
    }

    private async Task SweepAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TipBot.Server.Jobs.SweepJob>().RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_tip_of_another_category_is_not_copied_to_the_drug_unit()
    {
        var code = await _app.ReportTipAsync(ResidentScript.NewResident(),
            "Tối qua có kẻ cạy khóa trộm mất xe máy trước nhà tôi ở phường Hải Châu", "time:yesterday", "anon:yes", "confirm:send");

        await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code);
        await Eventually.Get(() => _app.WithDbAsync(db => db.Outbox.CountAsync(o => o.SentAt == null)), n => n == 0, "outbox sent");
        Assert.Equal("theft", Assert.Single(await _app.TipsAsync()).Category);
        Assert.DoesNotContain(_app.Telegram.SentTo(TipBotApp.DrugUnitDesk), m => m.Text.Contains(code));
    }

    [Fact]
    public async Task A_specialist_unit_is_never_taken_for_a_place()
    {
        var code = await _app.ReportTipAsync(ResidentScript.NewResident(),
            "Tối qua có nhóm thanh niên bán ma túy ở phòng cảnh sát điều tra tội phạm về ma túy, phường Hải Châu", "time:yesterday", "anon:yes", "confirm:send");

        Assert.Equal("20242", Assert.Single(await _app.TipsAsync()).UnitCode);
        await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code);
    }
}

public sealed class SpecialistRoutingOnEmbeddedStores() : SpecialistRoutingTests(StoreMode.Embedded);

public sealed class SpecialistRoutingOnRedisAndPostgres() : SpecialistRoutingTests(StoreMode.Production);
