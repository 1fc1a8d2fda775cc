using System.Data.Common;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TipBot.Core.Messaging;
using TipBot.Dialogs.Engine;
using TipBot.Server.Directory;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;
using TipBot.Server.Tips;

namespace TipBot.Server.Tests.Persistence;

/// <summary>
/// Recording a submitted tip inserts it, and only when a unique key is in the way looks for the
/// same submission and for its code: a replay is the same tip, and a code another tip holds is
/// replaced.
/// </summary>
[Collection("integration")]
public abstract class SubmitTipTests(StoreMode mode) : IAsyncLifetime
{
    private TipBotApp _app = null!;
    // The submission's look-up: the same submission or code, one UNION of the two unique keys.
    private readonly CommandCounter _lookUps = new(sql => sql.Contains("UNION ALL", StringComparison.Ordinal) && sql.Contains("tips", StringComparison.Ordinal));
    private readonly CommandCounter _tipInserts = new(sql => sql.Contains("INSERT INTO tips ", StringComparison.Ordinal) || sql.Contains("INSERT INTO \"tips\"", StringComparison.Ordinal));
    private readonly CommandCounter _tipUpdates = new(sql => sql.Contains("UPDATE tips ", StringComparison.Ordinal) || sql.Contains("UPDATE \"tips\"", StringComparison.Ordinal));
    private readonly CommandCounter _assignmentInserts = new(sql => sql.Contains("INSERT INTO assignments ", StringComparison.Ordinal) || sql.Contains("INSERT INTO \"assignments\"", StringComparison.Ordinal));
    // Fails the next read of the officers table (the duty roster's), once armed.
    private readonly FailOnce _officersRead = new(sql => sql.Contains("FROM officers", StringComparison.Ordinal) || sql.Contains("FROM \"officers\"", StringComparison.Ordinal));
    private readonly CapturedLogs _logs = new();
    // Saves that write a new tip.
    private readonly SaveCounter _tipSaves = new(db => db.ChangeTracker.Entries<TipRecord>().Any(e => e.State == EntityState.Added));

    // A new tip's write: EF's save on SQLite; on PostgreSQL its INSERT, which PostgresWrites sends without EF's SaveChanges.
    private IHeldPath TipWrites => mode == StoreMode.Production ? _tipInserts : _tipSaves;

    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(mode, b =>
    {
        b.ConfigureLogging(l => l.AddProvider(_logs));
        b.ConfigureTestServices(services => services.AddDatabaseInterceptors(mode, _lookUps, _tipInserts, _tipUpdates, _assignmentInserts, _officersRead, _tipSaves));
    });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static SubmitTip Tip(Guid submission, string code) => new(submission, code, "Có người bán ma túy ở hẻm 12", "drugs", 0.9,
        Urgent: false, UnitCode: "20242", PlaceText: "Hải Châu", TimeText: "tối qua", Anonymous: true, ContactPhone: null, EvidenceCount: 0,
        new ChatAddress("telegram", ResidentScript.NewResident().ToString()), "vi");

    private async Task<string> SubmitAsync(SubmitTip tip)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SubmitTipHandler>().HandleAsync(tip, CancellationToken.None);
    }

    [Fact]
    public async Task A_replayed_submission_is_the_same_tip_and_a_taken_code_is_replaced()
    {
        var first = Tip(Guid.NewGuid(), "DN-AAAAAA");
        Assert.Equal("DN-AAAAAA", await SubmitAsync(first));
        Assert.Equal("DN-AAAAAA", await SubmitAsync(first)); // the platform delivered the last message again

        var second = Tip(Guid.NewGuid(), "DN-AAAAAA"); // another resident, drawn the same code
        var code = await SubmitAsync(second);
        Assert.NotEqual("DN-AAAAAA", code);
        Assert.StartsWith("DN-", code);
        Assert.Equal(code, await SubmitAsync(second));

        var tips = await _app.WithDbAsync(db => db.Tips.AsNoTracking().OrderBy(t => t.ReceivedAt).ToListAsync());
        Assert.Equal([first.SubmissionId, second.SubmissionId], tips.Select(t => t.SubmissionId));
        Assert.Equal(["DN-AAAAAA", code], tips.Select(t => t.Code));
    }

    [Fact]
    public async Task A_new_tip_is_written_without_a_look_up_and_a_replay_logs_no_database_error()
    {
        var tip = Tip(Guid.NewGuid(), "DN-BBBBBB");

        Assert.Equal("DN-BBBBBB", await SubmitAsync(tip));
        Assert.Equal(0, _lookUps.Count);

        Assert.Equal("DN-BBBBBB", await SubmitAsync(tip)); // meets the unique key, then finds the tip
        Assert.Equal(1, _lookUps.Count);
        Assert.Equal(1, await _app.WithDbAsync(db => db.Tips.CountAsync(t => t.SubmissionId == tip.SubmissionId)));
        // A conflict met on purpose is not an error: EF Core's own failure lines stay below the log's level.
        Assert.DoesNotContain(_logs.Lines, l => l.StartsWith("Error Microsoft.EntityFrameworkCore", StringComparison.Ordinal)
            || l.StartsWith("Warning Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_tip_is_written_with_its_assignment_and_its_officer_and_specialists_are_told_once()
    {
        var tip = Tip(Guid.NewGuid(), "DN-DDDDDD");
        await _app.ReadRoutingFiguresAsync();

        Assert.Equal("DN-DDDDDD", await SubmitAsync(tip));
        // Written with the tip, before the code is returned: not a write of the router's after it.
        Assert.Equal(1, _assignmentInserts.Count);
        var recorded = await _app.WithDbAsync(db => db.Tips.AsNoTracking().SingleAsync(t => t.SubmissionId == tip.SubmissionId));
        Assert.Equal((TipStatus.Assigned, "20242"), (recorded.Status, recorded.AssignedUnitCode));

        await _app.AlertForAsync(TipBotApp.HaiChauOfficer, "DN-DDDDDD");
        await _app.MessageAsync(TipBotApp.DrugUnitDesk, m => m.Text.Contains("DN-DDDDDD"), "the drug unit's copy");
        await Eventually.Get(() => _app.WithDbAsync(db => db.Assignments.CountAsync(a => a.TipId == recorded.Id && a.AlertSentAt != null)), n => n == 1, "alert marked sent");
        Assert.Single(_app.Telegram.SentTo(TipBotApp.HaiChauOfficer), m => m.Text.Contains("DN-DDDDDD"));
        Assert.Single(_app.Telegram.SentTo(TipBotApp.DrugUnitDesk), m => m.Text.Contains("DN-DDDDDD"));
        Assert.Equal(1, _assignmentInserts.Count);
        Assert.Equal(0, _tipUpdates.Count); // the router wrote no assignment of its own
        var events = await _app.WithDbAsync(db => db.TipEvents.Where(e => e.TipId == recorded.Id).OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync());
        Assert.Equal(["received", "informed", "assigned", "alerted"], events);
        // Time-ordered ids (RecordIds): each row lands at the end of its index.
        var assignment = await _app.WithDbAsync(db => db.Assignments.AsNoTracking().SingleAsync(a => a.TipId == recorded.Id));
        var copy = await _app.WithDbAsync(db => db.Outbox.AsNoTracking().SingleAsync(o => o.Text.Contains("DN-DDDDDD")));
        Assert.Equal([7, 7, 7], new[] { recorded.Id.Version, assignment.Id.Version, copy.Id.Version });
    }

    [Fact]
    public async Task A_tip_whose_officers_figures_are_not_read_yet_is_written_alone_and_routed_by_the_router()
    {
        // Just started: no figures, and the resident's turn does not wait for their count.
        var tip = Tip(Guid.NewGuid(), "DN-FFFFFF");

        Assert.Equal("DN-FFFFFF", await SubmitAsync(tip));

        await _app.AlertForAsync(TipBotApp.HaiChauOfficer, "DN-FFFFFF");
        var recorded = await _app.WithDbAsync(db => db.Tips.AsNoTracking().SingleAsync(t => t.SubmissionId == tip.SubmissionId));
        Assert.Equal(1, await _app.WithDbAsync(db => db.Assignments.CountAsync(a => a.TipId == recorded.Id)));
        Assert.Equal(1, _tipUpdates.Count); // the router's assignment moved the tip off "received"
        Assert.Single(_app.Telegram.SentTo(TipBotApp.HaiChauOfficer), m => m.Text.Contains("DN-FFFFFF"));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains("with its submission failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_tip_whose_routing_fails_at_submission_is_written_alone_and_routed_after()
    {
        var tip = Tip(Guid.NewGuid(), "DN-EEEEEE");
        await _app.ReadRoutingFiguresAsync();
        _app.Services.GetRequiredService<DutyRosterCache>().Invalidate();
        _officersRead.Armed = true; // the duty roster's read, at submission

        Assert.Equal("DN-EEEEEE", await SubmitAsync(tip));
        Assert.False(_officersRead.Armed);
        Assert.Contains(_logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("with its submission failed", StringComparison.Ordinal));

        // The router routes it as any tip written alone: one assignment, one alert.
        await _app.AlertForAsync(TipBotApp.HaiChauOfficer, "DN-EEEEEE");
        var recorded = await _app.WithDbAsync(db => db.Tips.AsNoTracking().SingleAsync(t => t.SubmissionId == tip.SubmissionId));
        Assert.Equal(TipStatus.Assigned, recorded.Status);
        Assert.Equal(1, await _app.WithDbAsync(db => db.Assignments.CountAsync(a => a.TipId == recorded.Id)));
        Assert.Equal(1, _tipUpdates.Count);
        Assert.Single(_app.Telegram.SentTo(TipBotApp.HaiChauOfficer), m => m.Text.Contains("DN-EEEEEE"));
        var events = await _app.WithDbAsync(db => db.TipEvents.Where(e => e.TipId == recorded.Id && e.Kind != "informed").OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync());
        Assert.Equal(["received", "assigned"], events.Take(2));
    }

    [Fact]
    public async Task Tips_submitted_while_one_is_written_share_the_next_write_on_sqlite_and_go_side_by_side_on_postgres()
    {
        var release = TipWrites.HoldNext();
        var first = SubmitAsync(Tip(Guid.NewGuid(), "DN-GGGGG1"));
        await TipWrites.Held.WaitAsync(TimeSpan.FromSeconds(20));
        var tips = new[] { "DN-GGGGG2", "DN-GGGGG3", "DN-GGGGG4" }.Select(code => Tip(Guid.NewGuid(), code)).ToList();
        var others = tips.Select(SubmitAsync).ToList();

        if (mode == StoreMode.Production)
        {
            // PostgreSQL takes writers side by side: nobody waits for the held one.
            Assert.Equal(["DN-GGGGG2", "DN-GGGGG3", "DN-GGGGG4"], await Task.WhenAll(others).WaitAsync(TimeSpan.FromSeconds(20)));
            Assert.False(first.IsCompleted);
        }
        else
        {
            // SQLite's one writer: they wait for the held write, each tip's code not given yet.
            await Eventually.Get(() => _app.Services.GetRequiredService<SubmissionWriter>().Queued, n => n == 3, "three tips waiting");
            Assert.All(others, t => Assert.False(t.IsCompleted));
        }
        release();

        Assert.Equal("DN-GGGGG1", await first.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(["DN-GGGGG2", "DN-GGGGG3", "DN-GGGGG4"], await Task.WhenAll(others).WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(mode == StoreMode.Production ? 4 : 2, TipWrites.Count);
        var recorded = await _app.TipsAsync();
        Assert.Equal(["DN-GGGGG1", "DN-GGGGG2", "DN-GGGGG3", "DN-GGGGG4"], recorded.Select(t => t.Code).Order());
    }

    [Fact]
    public async Task A_replay_written_together_with_its_original_is_the_same_tip_and_the_others_are_written()
    {
        var release = TipWrites.HoldNext();
        var first = SubmitAsync(Tip(Guid.NewGuid(), "DN-HHHHH1"));
        await TipWrites.Held.WaitAsync(TimeSpan.FromSeconds(20));
        var original = Tip(Guid.NewGuid(), "DN-HHHHH2");
        var submitted = new[] { SubmitAsync(original), SubmitAsync(original with { Code = "DN-HHHHH9" }), SubmitAsync(Tip(Guid.NewGuid(), "DN-HHHHH3")) };
        if (mode == StoreMode.Embedded) await Eventually.Get(() => _app.Services.GetRequiredService<SubmissionWriter>().Queued, n => n == 3, "three tips waiting");
        release();

        await first.WaitAsync(TimeSpan.FromSeconds(20));
        var codes = await Task.WhenAll(submitted).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(codes[0], codes[1]); // the platform delivered the last message again: the same tip
        Assert.Equal("DN-HHHHH3", codes[2]);
        var recorded = await _app.TipsAsync();
        Assert.Single(recorded, t => t.SubmissionId == original.SubmissionId);
        Assert.Equal(3, recorded.Count);
        // Every tip is routed and alerted once, the replayed one included.
        await Eventually.Get(() => _app.WithDbAsync(db => db.Assignments.CountAsync(a => a.AlertSentAt != null)), n => n == 3, "three alerts sent");
        Assert.Equal(3, await _app.WithDbAsync(db => db.Assignments.Select(a => a.TipId).Distinct().CountAsync()));
        Assert.Equal(3, await _app.WithDbAsync(db => db.Assignments.CountAsync()));
    }

    [Fact]
    public async Task A_tip_that_meets_a_unique_key_at_every_insert_gives_up_after_four_attempts()
    {
        // As if, each time, another writer held the code and its row was gone when looked for.
        await _app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(mode == StoreMode.Production
            ? "CREATE FUNCTION refuse_tip() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE unique_violation; END $$; "
                + "CREATE TRIGGER refuse_tip BEFORE INSERT ON tips FOR EACH ROW EXECUTE FUNCTION refuse_tip();"
            : "CREATE TRIGGER refuse_tip BEFORE INSERT ON tips BEGIN SELECT RAISE(ABORT, 'taken'); END;"));

        // The attempt fails (the turn's effects stay pending for the next one) instead of looping.
        await Assert.ThrowsAsync<DbUpdateException>(() => SubmitAsync(Tip(Guid.NewGuid(), "DN-CCCCCC")).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(4, _tipInserts.Count);
        Assert.Equal(3, _lookUps.Count);
    }
}

/// <summary>Once armed, throws at the next command whose SQL matches.</summary>
internal sealed class FailOnce(Func<string, bool> matches) : DbCommandInterceptor
{
    private int _armed;

    public bool Armed
    {
        get => Volatile.Read(ref _armed) == 1;
        set => Volatile.Write(ref _armed, value ? 1 : 0);
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken ct = default) =>
        matches(command.CommandText) && Interlocked.Exchange(ref _armed, 0) == 1
            ? throw new InvalidOperationException("refused by the test")
            : ValueTask.FromResult(result);
}

public sealed class SubmitTipOnEmbeddedStores() : SubmitTipTests(StoreMode.Embedded);

public sealed class SubmitTipOnRedisAndPostgres() : SubmitTipTests(StoreMode.Production);
