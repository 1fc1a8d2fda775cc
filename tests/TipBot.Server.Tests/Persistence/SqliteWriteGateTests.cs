using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Persistence;

/// <summary>The embedded store's writers take turns; a write that fails gives its turn back.</summary>
[Collection("integration")]
public sealed class SqliteWriteGateTests : IAsyncLifetime
{
    private TipBotApp _app = null!;

    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(StoreMode.Embedded);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_transaction_that_cannot_begin_gives_its_turn_back()
    {
        // Another process keeps SQLite's write lock past the wait (an import from the CLI, say).
        await using var other = new SqliteConnection(_app.DatabaseConnectionString);
        await other.OpenAsync();
        await using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }

        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TipBotDbContext>();
        var gate = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()!.Interceptors!.OfType<SqliteWriteGate>().Single();

        ((SqliteConnection)db.Database.GetDbConnection()).DefaultTimeout = 1; // seconds; 30 as shipped
        await Assert.ThrowsAsync<SqliteException>(() => db.Database.BeginTransactionAsync()); // SQLite's own wait ran out
        Assert.Equal(0, gate.Holders);
    }
}
