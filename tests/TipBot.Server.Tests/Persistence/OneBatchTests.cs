using Microsoft.EntityFrameworkCore;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Persistence;

/// <summary>
/// SaveChangesInOneBatchAsync drops EF's BEGIN … COMMIT on PostgreSQL and relies on the batch
/// being one implicit transaction: rows saved together are all stored or none is.
/// </summary>
[Collection("integration")]
public abstract class OneBatchTests(StoreMode mode) : IAsyncLifetime
{
    private TipBotApp _app = null!;

    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(mode);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Rows_saved_in_one_batch_are_all_stored_or_none_is()
    {
        var code = await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident());
        await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code);
        var tip = Assert.Single(await _app.TipsAsync());

        // An event, then (EF writes tip_events before tips) a tip whose code is taken: the second row fails.
        var failure = await Assert.ThrowsAsync<DbUpdateException>(() => _app.WithDbAsync(async db =>
        {
            db.TipEvents.Add(new TipEventRecord { TipId = tip.Id, Kind = "batch-test", At = DateTime.UtcNow });
            tip.Id = Guid.NewGuid();
            tip.SubmissionId = Guid.NewGuid();
            db.Tips.Add(tip);
            await db.SaveChangesInOneBatchAsync(CancellationToken.None);
            return 0;
        }));
        Assert.True(DbErrors.IsUniqueViolation(failure));
        Assert.Equal(0, await _app.WithDbAsync(db => db.TipEvents.CountAsync(e => e.Kind == "batch-test")));

        // The same context afterwards saves as EF always does, with its own transaction.
        await _app.WithDbAsync(async db =>
        {
            db.TipEvents.Add(new TipEventRecord { TipId = tip.Id, Kind = "batch-test", At = DateTime.UtcNow });
            await db.SaveChangesInOneBatchAsync(CancellationToken.None);
            Assert.Equal(AutoTransactionBehavior.WhenNeeded, db.Database.AutoTransactionBehavior);
            return 0;
        });
        Assert.Equal(1, await _app.WithDbAsync(db => db.TipEvents.CountAsync(e => e.Kind == "batch-test")));
    }

    [Fact]
    public async Task A_tip_routed_in_process_is_written_with_its_alert_claimed_and_alerted_once()
    {
        var code = await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident());
        await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code);

        var assignment = await Eventually.Get(() => _app.WithDbAsync(db => db.Assignments.AsNoTracking().SingleAsync()),
            a => a.AlertSentAt is not null, "the alert recorded as sent");
        Assert.Equal(assignment.CreatedAt, assignment.AlertClaimedAt); // claimed by the write, no UPDATE of its own
        Assert.Single(_app.Telegram.SentTo(TipBotApp.HaiChauOfficer), m => m.Text.Contains(code));
        Assert.Equal(1, await _app.WithDbAsync(db => db.TipEvents.CountAsync(e => e.Kind == "alerted")));
    }
}

public sealed class OneBatchOnEmbeddedStores() : OneBatchTests(StoreMode.Embedded);

public sealed class OneBatchOnRedisAndPostgres() : OneBatchTests(StoreMode.Production);
