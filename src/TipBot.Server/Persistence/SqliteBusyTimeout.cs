using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TipBot.Server.Persistence;

/// <summary>
/// Lets SQLite itself wait for another writer's lock, in steps of a few milliseconds. Without it
/// Microsoft.Data.Sqlite retries a refused write every 150 ms, and at 50 tips/s on the embedded
/// default that showed as alerts and replies 150–1,200 ms late (docs/benchmarks.md, fourth session).
/// </summary>
public sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA busy_timeout = 5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
