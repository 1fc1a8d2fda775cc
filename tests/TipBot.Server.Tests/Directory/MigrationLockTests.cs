using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tests.Directory;

public sealed class MigrationLockTests
{
    [Fact]
    public async Task A_lock_left_by_a_process_killed_while_migrating_does_not_block_the_next_start()
    {
        var file = Path.Combine(Path.GetTempPath(), $"tipbot-lock-{Guid.NewGuid():N}.db");
        try
        {
            // What EF Core 9+ leaves behind when the migrating process dies.
            await using (var connection = new SqliteConnection($"Data Source={file}"))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = """CREATE TABLE "__EFMigrationsLock" ("Id" INTEGER NOT NULL PRIMARY KEY, "Timestamp" TEXT NOT NULL); INSERT INTO "__EFMigrationsLock" VALUES (1, '2026-01-01 00:00:00');""";
                await command.ExecuteNonQueryAsync();
            }
            var services = new ServiceCollection().AddLogging()
                .AddRecordsDatabase(new ConfigurationBuilder()
                    .AddInMemoryCollection([new("ConnectionStrings:Database", $"Data Source={file}")]).Build())
                .BuildServiceProvider();

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(timeout.Token);

            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TipBotDbContext>();
            Assert.Empty(await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetPendingMigrationsAsync(db.Database));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }
}
