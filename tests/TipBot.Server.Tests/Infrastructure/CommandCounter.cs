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
public sealed class CommandCounter(Func<string, bool> matches) : DbCommandInterceptor
{
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _gate;
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Completes when the command held by <see cref="HoldNext"/> has arrived.</summary>
    public Task Held => _held.Task;

    /// <summary>Holds the next matching command until the returned action is called.</summary>
    public Action HoldNext()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gate = gate;
        return () => gate.TrySetResult();
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken ct = default)
    {
        await CountedAsync(command);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        await CountedAsync(command);
        return result;
    }

    private async Task CountedAsync(DbCommand command)
    {
        if (!matches(command.CommandText)) return;
        Interlocked.Increment(ref _count);
        if (Interlocked.Exchange(ref _gate, null) is { } gate)
        {
            _held.TrySetResult();
            await gate.Task;
        }
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
