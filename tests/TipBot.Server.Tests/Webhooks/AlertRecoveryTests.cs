using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Server.Outbox;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;
using TipBot.Server.Tips;

namespace TipBot.Server.Tests.Webhooks;

/// <summary>
/// A worker killed in the middle of AlertOfficer leaves the assignment claimed and unsent: once
/// the claim is older than SendOutboundJob.ClaimTimeout the job runs again and the officer gets
/// one alert; while a claim is fresh, another worker is sending, and nothing is sent twice.
/// (The fault-injection suite kills real processes; this pins the rule down.)
/// </summary>
[Collection("integration")]
public abstract class AlertRecoveryTests(StoreMode mode) : IAsyncLifetime
{
    private TipBotApp _app = null!;

    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(mode);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A tip whose next step was claimed by a worker at <paramref name="claimedAt"/> that never sent it.</summary>
    private async Task<(string Code, Guid Assignment)> ClaimedButUnsentAsync(DateTime claimedAt)
    {
        var code = await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident());
        await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code);
        var tip = Assert.Single(await _app.TipsAsync());
        var assignment = new AssignmentRecord
        {
            Id = Guid.NewGuid(), TipId = tip.Id, Step = 1, OfficerId = "b-20242", UnitCode = "20242", Reason = "Backup",
            CreatedAt = claimedAt, AlertClaimedAt = claimedAt,
        };
        await _app.WithDbAsync(async db =>
        {
            await db.Assignments.Where(a => a.TipId == tip.Id && a.Step == 0).ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AssignmentStatus.Moved));
            db.Assignments.Add(assignment);
            return await db.SaveChangesAsync();
        });
        return (code, assignment.Id);
    }

    private async Task RunAlertJobsAsync(Guid assignment, int workers) =>
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async _ =>
        {
            await using var scope = _app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AlertOfficerJob>().RunAsync(assignment, CancellationToken.None);
        }));

    [Fact]
    public async Task A_claim_left_by_a_dead_worker_expires_and_the_officer_gets_exactly_one_alert()
    {
        var (code, assignment) = await ClaimedButUnsentAsync(DateTime.UtcNow - SendOutboundJob.ClaimTimeout - TimeSpan.FromSeconds(1));

        await RunAlertJobsAsync(assignment, workers: 3); // the sweep and Hangfire's requeue may both run it

        Assert.Single(_app.Telegram.SentTo(TipBotApp.HaiChauBackup), m => m.Text.Contains(code));
        var row = await _app.WithDbAsync(db => db.Assignments.AsNoTracking().SingleAsync(a => a.Id == assignment));
        Assert.NotNull(row.AlertSentAt);
        Assert.NotNull(row.EscalateAt);
        Assert.Single(await _app.WithDbAsync(db => db.TipEvents.Where(e => e.Kind == "alerted" && e.Detail == "b-20242").ToListAsync()));
    }

    [Fact]
    public async Task Rate_limits_that_outlast_the_inline_retries_defer_the_alert_without_failing_a_job()
    {
        // Five 429s (retry_after 1 s): two are waited out inline, the rest defer the job, each time for 1 s.
        _app.Telegram.FailNext(TipBotApp.HaiChauOfficer, count: 5, status: 429);

        var code = await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident());

        await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code, seconds: 30);
        await Eventually.Get(() => _app.WithDbAsync(db => db.Assignments.CountAsync(a => a.AlertSentAt != null)), n => n == 1, "alert recorded as sent");
        Assert.Single(_app.Telegram.SentTo(TipBotApp.HaiChauOfficer), m => m.Text.Contains(code));
        Assert.Equal(0, _app.Services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi().FailedCount());
        // What operators alert on (docs/operations.md, section 13), under the name they read.
        using var scrape = await _app.CreateClient().GetAsync("/metrics");
        Assert.Matches(@"(?m)^tipbot_channels_send_failures\{channel=""telegram"",failure=""RateLimited""\} [1-9]", await scrape.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task While_a_claim_is_fresh_another_worker_is_sending_and_the_job_sends_nothing()
    {
        var (code, assignment) = await ClaimedButUnsentAsync(DateTime.UtcNow);

        await RunAlertJobsAsync(assignment, workers: 2);

        Assert.DoesNotContain(_app.Telegram.SentTo(TipBotApp.HaiChauBackup), m => m.Text.Contains(code));
        Assert.Null((await _app.WithDbAsync(db => db.Assignments.AsNoTracking().SingleAsync(a => a.Id == assignment))).AlertSentAt);
    }
}

public sealed class AlertRecoveryOnEmbeddedStores() : AlertRecoveryTests(StoreMode.Embedded);

public sealed class AlertRecoveryOnRedisAndPostgres() : AlertRecoveryTests(StoreMode.Production);
