using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace TipBot.Server.Persistence;

/// <summary>
/// Applies migrations, saying so in the log. EF Core 9+ takes a lock while migrating: PostgreSQL's
/// is an advisory lock that dies with the session, but SQLite's is a row in __EFMigrationsLock
/// that a killed process leaves behind, making the next start wait forever. SQLite is the
/// single-process embedded default, so we first take an OS file lock beside the database: whoever
/// holds it is the only migrator alive, and any lock row it finds is stale and is cleared.
/// </summary>
public sealed class DatabaseMigrator(IServiceScopeFactory scopes, TimeProvider clock, ILogger<DatabaseMigrator> log)
{
    public async Task MigrateAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TipBotDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count == 0)
        {
            await UseWriteAheadLogAsync(db, ct);
            return;
        }
        log.LogInformation("Applying {Count} database migration(s): {Migrations}", pending.Count, string.Join(", ", pending));

        if (db.Database.IsSqlite())
        {
            using var fileLock = await TakeFileLockAsync(db.Database.GetConnectionString()!, ct);
            await ClearStaleSqliteLockAsync(db, ct);
            await db.Database.MigrateAsync(ct);
            await UseWriteAheadLogAsync(db, ct);
        }
        else
        {
            await db.Database.MigrateAsync(ct);
        }
        log.LogInformation("Database is up to date");
    }

    // SQLite's default rollback journal lets one connection write and blocks readers meanwhile; WAL
    // (persistent in the file) lets webhook turns read while jobs write.
    private static async Task UseWriteAheadLogAsync(TipBotDbContext db, CancellationToken ct)
    {
        if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }

    private static async Task ClearStaleSqliteLockAsync(TipBotDbContext db, CancellationToken ct)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var exists = connection.CreateCommand();
            exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsLock'";
            if (Convert.ToInt64(await exists.ExecuteScalarAsync(ct)) == 0) return;
            await using var clear = connection.CreateCommand();
            clear.CommandText = "DELETE FROM \"__EFMigrationsLock\"";
            await clear.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<FileStream> TakeFileLockAsync(string connectionString, CancellationToken ct)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var lockPath = Path.GetFullPath(dataSource) + ".migrate.lock";
        var deadline = clock.GetUtcNow().AddSeconds(60);
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (clock.GetUtcNow() < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), clock, ct); // another process is migrating this database right now
            }
        }
    }
}
