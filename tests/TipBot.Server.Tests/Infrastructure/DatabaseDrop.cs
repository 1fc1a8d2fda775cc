using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace TipBot.Server.Tests.Infrastructure;

/// <summary>
/// The database goes away under the first query whose SQL contains <paramref name="sqlContains"/>
/// (once armed, if not <paramref name="armed"/> from the start), with the error its driver really
/// raises then (Npgsql: "Failed to connect" over a refused socket, which EF Core's execution
/// strategy wraps as a transient failure; SQLite: the file is locked).
/// </summary>
public sealed class DatabaseDrop(string sqlContains, bool armed = true) : DbCommandInterceptor
{
    private int _dropped;
    private volatile bool _armed = armed;

    public void Arm() => _armed = true;

    public int Dropped => Volatile.Read(ref _dropped);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken ct = default)
    {
        DropUnder(command);
        return base.ReaderExecutingAsync(command, eventData, result, ct);
    }

    // New rows and marks on PostgreSQL go as a command without results (PostgresWrites). The
    // migrations' DDL, which names the same tables and columns, passes.
    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (command.CommandText.StartsWith("INSERT ", StringComparison.Ordinal) || command.CommandText.StartsWith("WITH ", StringComparison.Ordinal)) DropUnder(command);
        return base.NonQueryExecutingAsync(command, eventData, result, ct);
    }

    private void DropUnder(DbCommand command)
    {
        if (_armed && command.CommandText.Contains(sqlContains, StringComparison.Ordinal) && Interlocked.CompareExchange(ref _dropped, 1, 0) == 0)
            throw command is Npgsql.NpgsqlCommand
                ? new Npgsql.NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111))
                : new Microsoft.Data.Sqlite.SqliteException("database is locked", 5);
    }

    public void Install(IServiceCollection services, StoreMode mode) => services.AddDatabaseInterceptors(mode, this);
}
