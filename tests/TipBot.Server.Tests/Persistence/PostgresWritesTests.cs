using Microsoft.EntityFrameworkCore;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Persistence;

/// <summary>
/// A one-batch save of new rows, and a mark's update, on PostgreSQL go by <see cref="PostgresWrites"/>,
/// not EF's update pipeline: what they store must be what EF would have stored, column for column,
/// and a write is stored whole or not at all, as EF's save is.
/// </summary>
[Collection("integration")]
public sealed class PostgresWritesTests : IAsyncLifetime
{
    private TipBotApp _app = null!;

    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(StoreMode.Production);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    // Whole microseconds: what PostgreSQL keeps of a timestamp. Days ago (within the retention
    // period) and every row below finished (resolved, sent), so no sweep of the running app takes them up.
    private static readonly DateTime At = new DateTime(DateTime.UtcNow.AddDays(-3).Ticks / 10 * 10, DateTimeKind.Utc);

    private static TipRecord Tip(string code) => new()
    {
        Id = RecordIds.New(), SubmissionId = Guid.NewGuid(), Code = code, Description = "Có người bán ma túy ở hẻm 12 — \"đêm qua\" {0} ; DROP",
        Category = "drugs", CategoryConfidence = 0.123456789, Urgent = true, UnitCode = "20242", PlaceText = null, TimeText = "tối qua",
        Anonymous = false, ContactPhone = "protected-phone", EvidenceCount = 3, ReporterChannel = "telegram", ReporterChatId = "protected-chat",
        ReporterKey = "key-" + code, PersonalDataPurgedAt = null, Culture = "vi", Status = TipStatus.Resolved, ReceivedAt = At,
        AssignedUnitCode = "20242", AcceptedAt = At.AddMinutes(1), AcceptedByOfficerId = null, ResolvedAt = At.AddHours(2), Outcome = "arrested", DuplicateOfTipId = Guid.NewGuid(),
    };

    private static TipEventRecord Event(Guid tip) => new() { TipId = tip, Kind = "assigned", At = At, Detail = null };

    private static AssignmentRecord Assignment(Guid tip) => new()
    {
        Id = RecordIds.New(), TipId = tip, Step = 0, OfficerId = "officer-test", UnitCode = "20242", Reason = "Duty", Status = AssignmentStatus.Accepted,
        CreatedAt = At, EscalateAt = null, AlertClaimedAt = At, AlertSentAt = At, AcceptedAt = At.AddMinutes(1),
    };

    private static OutboxRecord Copy(string key) => new()
    {
        Id = RecordIds.New(), Key = key, Channel = "telegram", ChatId = "protected", ChatKey = null, Text = "Tin báo mới\nDN-ABCDEF",
        ButtonsJson = "[{\"text\":\"Nhận\"}]", CreatedAt = At, ClaimedAt = At, SentAt = At, WaitingSince = null, Attempts = 1,
    };

    [Fact]
    public async Task New_rows_are_stored_column_for_column_as_EF_stores_them()
    {
        var (byEf, byInserts) = (Tip("DN-EF0001"), Tip("DN-IN0001"));
        object[] efRows = [byEf, Event(byEf.Id), Assignment(byEf.Id), Copy("ef-copy")];
        object[] insertRows = [byInserts, Event(byInserts.Id), Assignment(byInserts.Id), Copy("inserts-copy")];

        var efLeftTracked = await _app.WithDbAsync(async db =>
        {
            db.AddRange(efRows);
            await db.SaveChangesAsync();
            return db.ChangeTracker.Entries().Count();
        });
        var insertsLeftTracked = await _app.WithDbAsync(async db =>
        {
            db.AddRange(insertRows);
            await db.SaveChangesInOneBatchAsync(CancellationToken.None);
            return db.ChangeTracker.Entries().Count();
        });
        Assert.Equal(4, efLeftTracked);
        Assert.Equal(0, insertsLeftTracked); // written by PostgresWrites, which leaves nothing tracked

        await AssertStoredAsync(byEf);
        await AssertStoredAsync(byInserts);
        await AssertStoredAsync((AssignmentRecord)efRows[2]);
        await AssertStoredAsync((AssignmentRecord)insertRows[2]);
        await AssertStoredAsync((OutboxRecord)efRows[3]);
        await AssertStoredAsync((OutboxRecord)insertRows[3]);
        foreach (var tip in new[] { byEf, byInserts })
        {
            var stored = await _app.WithDbAsync(db => db.TipEvents.AsNoTracking().SingleAsync(e => e.TipId == tip.Id));
            Assert.True(stored.Id > 0); // the identity numbered by the database
            AssertSame(Event(tip.Id), stored, except: nameof(TipEventRecord.Id));
        }
    }

    [Fact]
    public async Task Saves_of_other_rows_in_another_order_each_store_their_own_columns()
    {
        // Each sequence of tables gets its SQL laid out once and kept: one kept for another would
        // send one row's values into another's columns, or too few of them.
        object[][] saves =
        [
            [Tip("DN-IN0005")],
            [Tip("DN-IN0006"), Tip("DN-IN0007")],
            [Copy("copy-first"), Tip("DN-IN0008")],
            [Tip("DN-IN0009"), Copy("copy-last")],
            [Copy("copy-again"), Tip("DN-IN0010")],
        ];
        foreach (var rows in saves)
        {
            var leftTracked = await _app.WithDbAsync(async db =>
            {
                db.AddRange(rows);
                await db.SaveChangesInOneBatchAsync(CancellationToken.None);
                return db.ChangeTracker.Entries().Count();
            });
            Assert.Equal(0, leftTracked);
        }

        foreach (var row in saves.SelectMany(rows => rows))
            await (row is TipRecord tip ? AssertStoredAsync(tip) : AssertStoredAsync((OutboxRecord)row));
    }

    [Fact]
    public async Task New_rows_handed_over_untracked_are_stored_without_the_change_tracker_ever_seeing_them()
    {
        var tip = Tip("DN-IN0011");
        object[] rows = [tip, Event(tip.Id), Assignment(tip.Id), Copy("untracked-copy")];

        var trackedOnTheWay = await _app.WithDbAsync(async db =>
        {
            var tracked = 0;
            db.ChangeTracker.Tracked += (_, _) => tracked++;
            await db.InsertInOneBatchAsync(rows, CancellationToken.None);
            return tracked + db.ChangeTracker.Entries().Count();
        });

        Assert.Equal(0, trackedOnTheWay);
        await AssertStoredAsync(tip);
        await AssertStoredAsync((AssignmentRecord)rows[2]);
        await AssertStoredAsync((OutboxRecord)rows[3]);
        AssertSame(Event(tip.Id), await _app.WithDbAsync(db => db.TipEvents.AsNoTracking().SingleAsync(e => e.TipId == tip.Id)), except: nameof(TipEventRecord.Id));
    }

    [Fact]
    public async Task New_rows_beside_a_change_the_context_tracks_are_saved_with_it_by_EF()
    {
        var tip = Tip("DN-EF0004");
        await InsertAsync(tip);

        await _app.WithDbAsync(async db =>
        {
            var read = await db.Tips.SingleAsync(t => t.Id == tip.Id);
            read.Outcome = "warned"; // a change only EF's DetectChanges finds
            await db.InsertInOneBatchAsync([Event(tip.Id)], CancellationToken.None);
            return 0;
        });

        Assert.Equal("warned", (await _app.WithDbAsync(db => db.Tips.AsNoTracking().SingleAsync(t => t.Id == tip.Id))).Outcome);
        Assert.Single(await _app.WithDbAsync(db => db.TipEvents.AsNoTracking().Where(e => e.TipId == tip.Id).ToListAsync()));
    }

    [Fact]
    public async Task A_key_met_by_untracked_rows_fails_as_EF_reports_it_and_writes_none_of_them()
    {
        var first = Tip("DN-IN0012");
        await InsertAsync(first);
        var again = Tip("DN-IN0012"); // the same code: a unique key

        var e = await Assert.ThrowsAsync<DbUpdateException>(() => InsertAsync(Copy("copy-of-a-refused-tip"), again));

        Assert.True(DbErrors.IsUniqueViolation(e));
        Assert.False(await _app.WithDbAsync(db => db.Outbox.AnyAsync(o => o.Key == "copy-of-a-refused-tip")));
    }

    [Fact]
    public async Task A_row_with_a_value_the_database_would_generate_is_left_to_EF()
    {
        var tip = Tip("DN-EF0002");
        var tracked = await _app.WithDbAsync(async db =>
        {
            db.AddRange(tip, new TipEventRecord { Id = 987_654_321, TipId = tip.Id, Kind = "received", At = At });
            await db.SaveChangesInOneBatchAsync(CancellationToken.None);
            return db.ChangeTracker.Entries().Count();
        });

        Assert.Equal(2, tracked); // EF's save
        Assert.Equal(987_654_321, (await _app.WithDbAsync(db => db.TipEvents.AsNoTracking().SingleAsync(e => e.TipId == tip.Id))).Id);
    }

    [Fact]
    public async Task A_context_that_also_tracks_a_row_it_read_saves_by_EF_and_keeps_the_change()
    {
        var tip = Tip("DN-EF0003");
        await _app.WithDbAsync(async db =>
        {
            db.Add(tip);
            await db.SaveChangesAsync();
            return 0;
        });

        await _app.WithDbAsync(async db =>
        {
            var read = await db.Tips.SingleAsync(t => t.Id == tip.Id);
            read.Status = TipStatus.Resolved; // a change only EF's DetectChanges finds
            db.Add(Event(tip.Id));
            await db.SaveChangesInOneBatchAsync(CancellationToken.None);
            return 0;
        });

        Assert.Equal(TipStatus.Resolved, (await _app.WithDbAsync(db => db.Tips.AsNoTracking().SingleAsync(t => t.Id == tip.Id))).Status);
        Assert.Single(await _app.WithDbAsync(db => db.TipEvents.AsNoTracking().Where(e => e.TipId == tip.Id).ToListAsync()));
    }

    [Fact]
    public async Task A_row_the_database_quietly_drops_fails_the_save_as_in_EF()
    {
        await _app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(
            "CREATE FUNCTION drop_copy() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$; "
            + "CREATE TRIGGER drop_copy BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION drop_copy();"));
        var tip = Tip("DN-IN0004");

        await Assert.ThrowsAsync<DbUpdateException>(() => _app.WithDbAsync(async db =>
        {
            db.AddRange(tip, Copy("dropped-copy"));
            await db.SaveChangesInOneBatchAsync(CancellationToken.None);
            return 0;
        }));
    }

    [Fact]
    public async Task An_update_sets_the_columns_given_as_EF_sets_them_and_no_other()
    {
        var (byEf, byWrites) = (Unsent("ef-mark"), Unsent("writes-mark"));
        await InsertAsync(byEf, byWrites);
        var sentAt = At.AddMinutes(5);
        // The row as the marks know it: its key and the columns to set; the text is not to be written.
        RowChanges Mark(OutboxRecord row) => new RowChanges().Update(
            new OutboxRecord { Id = row.Id, Key = row.Key, Channel = "zalo", ChatId = "stale", Text = "not to be written", SentAt = sentAt, Attempts = 2 },
            [nameof(OutboxRecord.SentAt), nameof(OutboxRecord.Attempts)]);

        await _app.WithDbAsync(async db =>
        {
            Mark(byEf).AddTo(db);
            return await db.SaveChangesAsync();
        });
        var leftTracked = await _app.WithDbAsync(async db =>
        {
            Assert.True(await PostgresWrites.TryWriteAsync(db, Mark(byWrites), CancellationToken.None));
            return db.ChangeTracker.Entries().Count();
        });

        Assert.Equal(0, leftTracked);
        foreach (var row in new[] { byEf, byWrites })
        {
            (row.SentAt, row.Attempts) = (sentAt, 2);
            await AssertStoredAsync(row);
        }
    }

    [Fact]
    public async Task An_update_of_a_row_not_stored_fails_the_write_and_stores_none_of_it()
    {
        var (stored, tip) = (Unsent("stored-mark"), Tip("DN-IN0013"));
        await InsertAsync(stored, tip);
        var changes = new RowChanges()
            .Update(new OutboxRecord { Id = stored.Id, Key = stored.Key, Channel = "telegram", ChatId = "x", Text = "x", SentAt = At }, [nameof(OutboxRecord.SentAt)])
            .Insert(Event(tip.Id))
            .Update(new OutboxRecord { Id = Guid.NewGuid(), Key = "never-stored", Channel = "telegram", ChatId = "x", Text = "x", SentAt = At }, [nameof(OutboxRecord.SentAt)]);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => _app.WithDbAsync(db => PostgresWrites.TryWriteAsync(db, changes, CancellationToken.None)));

        await AssertStoredAsync(stored); // still unsent
        Assert.False(await _app.WithDbAsync(db => db.TipEvents.AnyAsync(e => e.TipId == tip.Id)));
    }

    [Fact]
    public async Task Writes_that_mix_updates_and_new_rows_in_any_order_each_store_their_own_values()
    {
        // The marks of a group come in any order and are laid out in one: a command kept for one
        // mix must not send one row's values into another's columns.
        var (tip, copies) = (Tip("DN-IN0014"), Enumerable.Range(0, 4).Select(i => Unsent($"mixed-{i}")).ToArray());
        var assignment = Assignment(tip.Id);
        (assignment.AlertSentAt, assignment.EscalateAt, assignment.AlertClaimedAt) = (null, null, HeldNow());
        await InsertAsync([tip, assignment, .. copies]);
        RowChanges Sent(RowChanges changes, OutboxRecord row, int minutes)
        {
            row.SentAt = At.AddMinutes(minutes);
            return changes.Update(new OutboxRecord { Id = row.Id, Key = row.Key, Channel = row.Channel, ChatId = row.ChatId, Text = row.Text, SentAt = row.SentAt }, [nameof(OutboxRecord.SentAt)]);
        }
        (assignment.AlertSentAt, assignment.EscalateAt) = (At.AddMinutes(7), At.AddMinutes(37));
        var alerted = new AssignmentRecord { Id = assignment.Id, OfficerId = "x", UnitCode = "x", Reason = "x", AlertSentAt = assignment.AlertSentAt, EscalateAt = assignment.EscalateAt };
        RowChanges[] writes =
        [
            Sent(new RowChanges(), copies[0], 1).Insert(Event(tip.Id)),
            Sent(new RowChanges().Insert(Event(tip.Id)), copies[1], 2),
            Sent(Sent(new RowChanges().Update(alerted, [nameof(AssignmentRecord.AlertSentAt), nameof(AssignmentRecord.EscalateAt)]), copies[2], 3), copies[3], 4).Insert(Event(tip.Id)),
        ];
        foreach (var changes in writes)
            Assert.True(await _app.WithDbAsync(db => PostgresWrites.TryWriteAsync(db, changes, CancellationToken.None)));

        foreach (var copy in copies) await AssertStoredAsync(copy);
        await AssertStoredAsync(assignment);
        Assert.Equal(3, await _app.WithDbAsync(db => db.TipEvents.CountAsync(e => e.TipId == tip.Id)));
    }

    // Not sent yet, and held by a sender (the test): the running app's sweep leaves it alone.
    private static OutboxRecord Unsent(string key)
    {
        var copy = Copy(key);
        (copy.SentAt, copy.ClaimedAt) = (null, HeldNow());
        return copy;
    }

    private static DateTime HeldNow() => new(DateTime.UtcNow.Ticks / 10 * 10, DateTimeKind.Utc);

    private Task<int> InsertAsync(params object[] rows) => _app.WithDbAsync(async db =>
    {
        await db.InsertInOneBatchAsync(rows, CancellationToken.None);
        return 0;
    });

    private async Task AssertStoredAsync<T>(T row) where T : class
    {
        var id = typeof(T).GetProperty("Id")!.GetValue(row);
        var stored = await _app.WithDbAsync(db => db.Set<T>().AsNoTracking().SingleAsync(r => EF.Property<Guid>(r, "Id") == (Guid)id!));
        AssertSame(row, stored);
    }

    private static void AssertSame<T>(T expected, T stored, string? except = null)
    {
        foreach (var property in typeof(T).GetProperties().Where(p => p.Name != except))
            Assert.True(Equals(property.GetValue(expected), property.GetValue(stored)),
                $"{typeof(T).Name}.{property.Name}: {property.GetValue(expected)} written, {property.GetValue(stored)} stored");
    }
}
