using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TipBot.Server.Tests.Infrastructure;

/// <summary>
/// Counts EF saves whose tracked rows match — one save is one write, however many statements EF
/// batches into it — and can hold the next one before it reaches the database.
/// </summary>
public sealed class SaveCounter(Func<DbContext, bool> matches) : SaveChangesInterceptor
{
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _gate;
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Completes when the save held by <see cref="HoldNext"/> has arrived.</summary>
    public Task Held => _held.Task;

    /// <summary>Holds the next matching save until the returned action is called.</summary>
    public Action HoldNext()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gate = gate;
        return () => gate.TrySetResult();
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (!matches(eventData.Context!)) return result;
        Interlocked.Increment(ref _count);
        if (Interlocked.Exchange(ref _gate, null) is { } gate)
        {
            _held.TrySetResult();
            await gate.Task;
        }
        return result;
    }
}
