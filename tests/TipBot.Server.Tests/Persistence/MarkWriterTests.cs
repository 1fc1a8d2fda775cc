using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Server.Outbox;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Persistence;

/// <summary>
/// Marks of finished sends are written together when they meet: those that arrive while one is
/// being written go in the next write, each caller returns once its own mark is committed, and one
/// mark's failure is its caller's alone.
/// </summary>
[Collection("integration")]
public abstract class MarkWriterTests(StoreMode mode) : IAsyncLifetime
{
    private static readonly DateTime SentAt = new(2026, 11, 27, 9, 0, 0, DateTimeKind.Utc);
    // Saves that mark outbox rows sent (SQLite's, by EF), and commands that do (PostgreSQL's, by PostgresWrites).
    private readonly SaveCounter _saves = new(db => db.ChangeTracker.Entries<OutboxRecord>().Any(e => e.State == EntityState.Modified && e.Property(o => o.SentAt).IsModified));
    private readonly CommandCounter _commands = new(sql => sql.Contains("\"SentAt\" = @", StringComparison.Ordinal));
    private TipBotApp _app = null!;

    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(mode, b =>
        b.ConfigureTestServices(services => services.AddDatabaseInterceptors(mode, _saves, _commands)));

    // A write of marks: EF's save on SQLite; on PostgreSQL one command, sent without EF's SaveChanges.
    private IHeldPath Writes => mode == StoreMode.Production ? _commands : _saves;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private MarkWriter Marks => _app.Services.GetRequiredService<MarkWriter>();

    private async Task<List<OutboxRecord>> AddRowsAsync(int count)
    {
        var rows = Enumerable.Range(0, count).Select(i => new OutboxRecord
        {
            Id = Guid.NewGuid(), Key = $"mark-test-{Guid.NewGuid():N}", Channel = "telegram", ChatId = "not-read-here", Text = $"Tin {i}", CreatedAt = SentAt, ClaimedAt = DateTime.UtcNow, // a sender holds it: the sweep leaves it alone
        }).ToList();
        await _app.WithDbAsync(db =>
        {
            db.Outbox.AddRange(rows);
            return db.SaveChangesAsync();
        });
        return rows;
    }

    // As SendOutboundJob marks a row: its SentAt set.
    private static Action<RowChanges> Sent(OutboxRecord row) => changes => changes.Update(
        new OutboxRecord { Id = row.Id, Key = row.Key, Channel = row.Channel, ChatId = row.ChatId, Text = row.Text, SentAt = SentAt }, [nameof(OutboxRecord.SentAt)]);

    private Task<List<OutboxRecord>> ReadAsync(IEnumerable<OutboxRecord> rows)
    {
        var ids = rows.Select(r => r.Id).ToList();
        return _app.WithDbAsync(db => db.Outbox.AsNoTracking().Where(o => ids.Contains(o.Id)).ToListAsync());
    }

    [Fact]
    public async Task Marks_that_arrive_while_one_is_written_go_together_in_the_next_write()
    {
        var rows = await AddRowsAsync(5);
        var release = Writes.HoldNext();
        var first = Marks.WriteAsync(Sent(rows[0]));
        await Writes.Held.WaitAsync(TimeSpan.FromSeconds(20));

        var waiting = rows.Skip(1).Select(row => Marks.WriteAsync(Sent(row))).ToList();
        Assert.All(waiting, mark => Assert.False(mark.IsCompleted));
        Assert.All(await ReadAsync(rows), r => Assert.Null(r.SentAt)); // the first not committed yet either

        release();
        await Task.WhenAll(waiting.Append(first)).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.All(await ReadAsync(rows), r => Assert.Equal(SentAt, r.SentAt));
        Assert.Equal(2, Writes.Count); // the first alone, the four that met behind it together

        await Marks.WriteAsync(Sent((await AddRowsAsync(1))[0])).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(3, Writes.Count); // nobody left writing: the next mark goes at once, alone
    }

    [Fact]
    public async Task A_mark_that_cannot_be_written_fails_its_caller_alone_and_the_others_are_written_once()
    {
        var rows = await AddRowsAsync(2);
        await _app.WithDbAsync(db => db.Outbox.Where(o => o.Id == rows[1].Id).ExecuteDeleteAsync()); // sent and cleaned up meanwhile
        var assignment = await AddAssignmentAsync();
        var release = Writes.HoldNext();
        var first = Marks.WriteAsync(Sent(rows[0]));
        await Writes.Held.WaitAsync(TimeSpan.FromSeconds(20));

        var gone = new OutboxRecord { Id = Guid.NewGuid(), Key = "never-written", Channel = "telegram", ChatId = "x", Text = "x" };
        var failing = Marks.WriteAsync(Sent(gone)); // a row that must exist (doneIfGone: false) and does not
        var alerted = Marks.WriteAsync(changes => changes // as AlertOfficerJob marks an alert: the assignment and its event
            .Update(new AssignmentRecord { Id = assignment.Id, OfficerId = assignment.OfficerId, UnitCode = assignment.UnitCode, Reason = assignment.Reason, AlertSentAt = SentAt }, [nameof(AssignmentRecord.AlertSentAt)])
            .Insert(new TipEventRecord { TipId = assignment.TipId, Kind = "alerted", At = SentAt, Detail = assignment.OfficerId }));
        var cleanedUp = Marks.WriteAsync(Sent(rows[1]), doneIfGone: true);
        release();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => failing.WaitAsync(TimeSpan.FromSeconds(20)));
        await Task.WhenAll(first, alerted, cleanedUp).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(SentAt, Assert.Single(await ReadAsync(rows)).SentAt);
        Assert.Equal(SentAt, await _app.WithDbAsync(db => db.Assignments.Where(a => a.Id == assignment.Id).Select(a => a.AlertSentAt).SingleAsync()));
        // The failed write left nothing behind: the alert's event is there once, not once per attempt.
        Assert.Equal(1, await _app.WithDbAsync(db => db.TipEvents.CountAsync(e => e.TipId == assignment.TipId && e.Kind == "alerted")));
    }

    private async Task<AssignmentRecord> AddAssignmentAsync()
    {
        var tip = new TipRecord
        {
            Id = Guid.NewGuid(), SubmissionId = Guid.NewGuid(), Code = "DN-990001", Description = "Có người bán ma túy",
            Category = "drugs", ReporterChannel = "telegram", ReporterKey = "k", Culture = "vi", Status = TipStatus.Assigned, ReceivedAt = SentAt,
        };
        var assignment = new AssignmentRecord { Id = Guid.NewGuid(), TipId = tip.Id, OfficerId = "o-20242", UnitCode = "20242", Reason = "UnitOfficer", Status = AssignmentStatus.Alerted, CreatedAt = SentAt, AlertClaimedAt = DateTime.UtcNow };
        await _app.WithDbAsync(db =>
        {
            db.Tips.Add(tip);
            db.Assignments.Add(assignment);
            return db.SaveChangesAsync();
        });
        return assignment;
    }
}

public sealed class MarkWriterOnEmbeddedStores() : MarkWriterTests(StoreMode.Embedded);

public sealed class MarkWriterOnRedisAndPostgres() : MarkWriterTests(StoreMode.Production);
