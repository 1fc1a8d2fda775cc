using System.Data.Common;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
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
    private readonly Transactions _transactions = new();
    private readonly CommandCounter _historyWrites = new(sql => System.Text.RegularExpressions.Regex.IsMatch(sql, @"INSERT INTO ""?tip_events\b"));

    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(mode, b => b.ConfigureTestServices(services =>
        services.AddDatabaseInterceptors(mode, _transactions, _historyWrites)));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Rows_saved_in_one_batch_are_all_stored_or_none_is()
    {
        var code = await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident());
        await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code);
        var tip = Assert.Single(await _app.TipsAsync());

        // An event, then a tip whose code is taken: the second row fails.
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

    [Fact]
    public async Task A_drugs_tip_is_written_in_two_batches_without_BEGIN_on_PostgreSQL()
    {
        await _app.ReadRoutingFiguresAsync(); // as under load: the tip is written with its assignment
        var (transactionsBefore, writesBefore) = (_transactions.Count, _historyWrites.Count); // the migrations' at start
        var code = await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident());
        await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code);
        await Eventually.Get(() => _app.WithDbAsync(db => db.Outbox.AsNoTracking().SingleAsync()), o => o.SentAt is not null, "the drug unit's copy recorded as sent");

        var (opened, writes) = (_transactions.Count - transactionsBefore, _historyWrites.Count - writesBefore);
        if (mode == StoreMode.Production)
        {
            // Two batches write the tip's history, each one implicit transaction: the tip with its
            // event, its first assignment with its event and the drug unit's copy with its event
            // (FirstAssignment); the alert's mark with its event.
            Assert.Equal(2, writes);
            Assert.Equal(0, opened);
        }
        else
        {
            // SQLite sends each row as a command of its own: EF's BEGIN … COMMIT keeps them together.
            Assert.Equal(2, opened);
        }
    }

    /// <summary>Counts the transactions EF opens.</summary>
    private sealed class Transactions : IDbTransactionInterceptor
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken ct = default)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.FromResult(result);
        }

        public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
        {
            Interlocked.Increment(ref _count);
            return result;
        }
    }
}

public sealed class OneBatchOnEmbeddedStores() : OneBatchTests(StoreMode.Embedded);

public sealed class OneBatchOnRedisAndPostgres() : OneBatchTests(StoreMode.Production);
