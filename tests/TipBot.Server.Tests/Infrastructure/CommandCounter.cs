using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tests.Infrastructure;

/// <summary>
/// Counts the commands EF sends (queries and writes) whose SQL matches, and can hold the next one
/// at the database's door, to see what others do while it waits.
/// </summary>
public sealed class CommandCounter(Func<string, bool> matches) : DbCommandInterceptor, IHeldPath
{
    private readonly HoldPoint _point = new();

    public int Count => _point.Count;

    /// <summary>Completes when the command held by <see cref="HoldNext"/> has arrived.</summary>
    public Task Held => _point.Held;

    /// <summary>Holds the next matching command until the returned action is called.</summary>
    public Action HoldNext() => _point.HoldNext();

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken ct = default)
    {
        if (matches(command.CommandText)) await _point.PassAsync();
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (matches(command.CommandText)) await _point.PassAsync();
        return result;
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
