using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tests.Infrastructure;

/// <summary>Counts the commands EF sends (queries and writes) whose SQL matches.</summary>
public sealed class CommandCounter(Func<string, bool> matches) : DbCommandInterceptor
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken ct = default)
    {
        Counted(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        Counted(command);
        return ValueTask.FromResult(result);
    }

    private void Counted(DbCommand command)
    {
        if (matches(command.CommandText)) Interlocked.Increment(ref _count);
    }
}

public static class DatabaseInterception
{
    /// <summary>Adds interceptors to the records database's context of the mode's provider.</summary>
    public static void AddDatabaseInterceptors(this IServiceCollection services, StoreMode mode, params IInterceptor[] interceptors)
    {
        if (mode == StoreMode.Production) services.ConfigureDbContext<PostgresTipBotDbContext>(o => o.AddInterceptors(interceptors));
        else services.ConfigureDbContext<SqliteTipBotDbContext>(o => o.AddInterceptors(interceptors));
    }
}
