using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;
using TipBot.Server.Tips;

namespace TipBot.Server.Tests.Webhooks;

/// <summary>
/// Escalation through the real escalation clock (EscalationClock, on the wall clock), so these run
/// with a one-second acknowledgement time; the policy itself is unit-tested with a clock.
/// </summary>
[Collection("integration")]
public abstract class EscalationTests(StoreMode mode) : IAsyncLifetime
{
    private TipBotApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await TipBotApp.StartAsync(mode, b => b.UseSetting("Routing:AckTimeout:Normal", "00:00:01"));
        // The line ends at Hải Châu's backup: with a one-second acknowledgement time, the city's
        // duty desk after it would take the tip a second after the backup's alert, racing every
        // step of these tests that acts on the backup's alert.
        await _app.WithDbAsync(db => db.Officers.Where(o => o.Id == "desk-48").ExecuteDeleteAsync());
        _app.Services.GetRequiredService<TipBot.Server.Directory.DirectoryCache>().Invalidate();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_unacknowledged_alert_escalates_to_the_backup_and_the_first_officer_is_told()
    {
        var code = await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident());
        await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code);

        var escalated = await _app.AlertForAsync(TipBotApp.HaiChauBackup, code);
        Assert.StartsWith("⏫", escalated.Text);
        await _app.MessageAsync(TipBotApp.HaiChauOfficer, m => m.Text.Contains(code) && m.Text.Contains("đã chuyển cho người khác"), "moved notice");
        var steps = await _app.WithDbAsync(db => db.Assignments.OrderBy(a => a.Step).Select(a => new { a.OfficerId, a.Status }).ToListAsync());
        Assert.Equal(("o-20242", AssignmentStatus.Moved), (steps[0].OfficerId, steps[0].Status));
        Assert.Equal("b-20242", steps[1].OfficerId);
        Assert.Contains("escalated", await _app.WithDbAsync(db => db.TipEvents.Select(e => e.Kind).ToListAsync()));
    }

    [Fact]
    public async Task An_alert_times_itself_in_its_record_and_leaves_no_Hangfire_job_behind()
    {
        var code = await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident());
        await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code);
        var assignment = await Eventually.Get(() => _app.WithDbAsync(db => db.Assignments.AsNoTracking().FirstAsync()),
            a => a.AlertSentAt is not null, "the alert marked sent");

        Assert.Equal(assignment.AlertSentAt!.Value.AddSeconds(1), assignment.EscalateAt);
        Assert.Equal(0, _app.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi().ScheduledCount());
    }

    [Fact]
    public async Task An_alert_whose_tip_has_moved_on_stops_its_timer_instead_of_coming_back_every_second()
    {
        var code = await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident());
        await _app.AlertForAsync(TipBotApp.HaiChauBackup, code); // escalated once: step 1 exists
        var first = await _app.WithDbAsync(db => db.Assignments.AsNoTracking().SingleAsync(a => a.Step == 0));
        // As if the first alert were still waiting, although the tip has moved on (a reassignment, an older version).
        await _app.WithDbAsync(db => db.Assignments.Where(a => a.Id == first.Id).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.Status, AssignmentStatus.Alerted).SetProperty(a => a.EscalateAt, DateTime.UtcNow.AddSeconds(-1))));

        var stopped = await Eventually.Get(() => _app.WithDbAsync(db => db.Assignments.AsNoTracking().SingleAsync(a => a.Id == first.Id)),
            a => a.EscalateAt is null, "the first alert's timer stopped");
        Assert.Equal(AssignmentStatus.Alerted, stopped.Status);
        Assert.Equal(2, await _app.WithDbAsync(db => db.Assignments.CountAsync()));
        Assert.Single(_app.Telegram.SentTo(TipBotApp.HaiChauBackup), m => m.Text.Contains(code) && m.Text.StartsWith("⏫"));
    }

    [Fact]
    public async Task An_acknowledged_alert_does_not_escalate()
    {
        var code = await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident());
        var alert = await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code);
        await _app.SendAsync(TelegramUpdates.Button(TipBotApp.HaiChauOfficer, alert.Button("acc:")));
        var assignment = await Eventually.Get(() => _app.WithDbAsync(db => db.Assignments.AsNoTracking().SingleAsync()),
            a => a.Status == AssignmentStatus.Accepted, "accepted");

        // Run the escalation as Hangfire would, once it is due.
        await Eventually.Get(() => DateTime.UtcNow, now => now > assignment.EscalateAt!.Value.AddMilliseconds(100), "the acknowledgement time to pass");
        await using (var scope = _app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<EscalateJob>().RunAsync(assignment.Id, CancellationToken.None);

        Assert.Single(await _app.WithDbAsync(db => db.Assignments.ToListAsync()));
        Assert.DoesNotContain(_app.Telegram.SentTo(TipBotApp.HaiChauBackup), m => m.Text.Contains(code));
    }

    [Fact]
    public async Task Two_officers_pressing_accept_at_once_one_wins_and_the_other_is_told()
    {
        var resident = ResidentScript.NewResident();
        var code = await _app.ReportDrugTipInHaiChauAsync(resident);
        var first = await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code);
        var second = await _app.AlertForAsync(TipBotApp.HaiChauBackup, code); // after the escalation

        await Task.WhenAll(
            _app.SendAsync(TelegramUpdates.Button(TipBotApp.HaiChauOfficer, first.Button("acc:"))),
            _app.SendAsync(TelegramUpdates.Button(TipBotApp.HaiChauBackup, second.Button("acc:"))));

        await Eventually.Get(() => _app.WithDbAsync(db => db.Outbox.CountAsync(o => o.SentAt == null)), n => n == 0, "notices sent");
        var confirmations = new[] { TipBotApp.HaiChauOfficer, TipBotApp.HaiChauBackup }
            .Select(chat => _app.Telegram.SentTo(chat).Where(m => m.Text.Contains(code)).Select(m => m.Text).ToList()).ToList();
        Assert.Equal(1, confirmations.Count(texts => texts.Any(t => t.Contains("Bạn đã tiếp nhận"))));
        Assert.Equal(1, confirmations.Count(texts => texts.Any(t => t.Contains("cán bộ khác tiếp nhận"))));
        Assert.Single(_app.Telegram.SentTo(resident), m => m.Text.Contains(code) && m.Text.Contains("tiếp nhận và đang xác minh"));
        var tip = Assert.Single(await _app.TipsAsync());
        Assert.Equal(TipStatus.Accepted, tip.Status);
    }
}

public sealed class EscalationOnEmbeddedStores() : EscalationTests(StoreMode.Embedded);

public sealed class EscalationOnRedisAndPostgres() : EscalationTests(StoreMode.Production);
