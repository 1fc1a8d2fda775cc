using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace TipBot.Server.Persistence;

/// <summary>
/// Saves a few rows that belong together in one round trip. EF wraps a SaveChanges of more than
/// one statement in BEGIN … COMMIT, but on PostgreSQL the statements already travel as one batch
/// with one Sync, which the server runs as one implicit transaction: all of them or none. The
/// COMMIT is then a round trip (and a transaction) bought twice, on every tip (docs/benchmarks.md,
/// sixth session). New rows alone skip EF's update pipeline too (<see cref="PostgresWrites"/>).
/// SQLite, and a caller's own transaction, keep EF's way.
/// </summary>
public static class OneBatch
{
    // Far below EF's batch size, so the rows cannot be split over two batches (and two transactions).
    private const int MaxRows = 20;

    public static async Task SaveChangesInOneBatchAsync(this TipBotDbContext db, CancellationToken ct)
    {
        // The provider by the context's type, and the rows listed without EF's DetectChanges (which
        // SaveChanges runs anyway): IsNpgsql() and Entries() were 3 % of the server's CPU under load
        // (docs/benchmarks.md, ninth session).
        if (db is not PostgresTipBotDbContext || db.Database.CurrentTransaction is not null || TrackedRows(db) is not { Count: <= MaxRows } rows)
        {
            await db.SaveChangesAsync(ct);
            return;
        }
        if (rows.TrueForAll(r => r.State == EntityState.Added) && await PostgresWrites.TryInsertAsync(db, rows.ConvertAll(r => r.Entity), ct))
        {
            db.ChangeTracker.Clear(); // written: a later save must not insert them again
            return;
        }
        db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            db.Database.AutoTransactionBehavior = AutoTransactionBehavior.WhenNeeded;
        }
    }

    /// <summary>
    /// New rows that belong together, none of them tracked by <paramref name="db"/>: on PostgreSQL,
    /// with nothing else tracked, written as they are, so EF's change tracker never sees them (added
    /// to it, every row had every column snapshotted: 3 % of the server's CPU under load,
    /// docs/benchmarks.md, twentieth session); otherwise added to the context and saved as above.
    /// </summary>
    public static async Task InsertInOneBatchAsync(this TipBotDbContext db, IReadOnlyList<object> rows, CancellationToken ct)
    {
        if (db is PostgresTipBotDbContext && db.Database.CurrentTransaction is null && rows.Count <= MaxRows && TrackedRows(db).Count == 0
            && await PostgresWrites.TryInsertAsync(db, rows, ct))
            return;
        db.AddRange(rows);
        await db.SaveChangesInOneBatchAsync(ct);
    }

    private static List<EntityEntry> TrackedRows(DbContext db)
    {
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return [.. db.ChangeTracker.Entries()];
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }
}
