namespace TipBot.Server.Tests.Infrastructure;

/// <summary>
/// A point on a path that counts what passes and can hold the next comer, to see what others do
/// while it waits (<see cref="CommandCounter"/>, <see cref="SaveCounter"/>).
/// </summary>
public sealed class HoldPoint
{
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _gate;
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Completes when the one held by <see cref="HoldNext"/> has arrived.</summary>
    public Task Held => _held.Task;

    /// <summary>Holds the next comer until the returned action is called.</summary>
    public Action HoldNext()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gate = gate;
        return () => gate.TrySetResult();
    }

    public async Task PassAsync()
    {
        Interlocked.Increment(ref _count);
        if (Interlocked.Exchange(ref _gate, null) is { } gate)
        {
            _held.TrySetResult();
            await gate.Task;
        }
    }
}

/// <summary>A path whose comers are counted and the next of them can be held (<see cref="HoldPoint"/>).</summary>
public interface IHeldPath
{
    int Count { get; }

    /// <summary>Completes when the one held by <see cref="HoldNext"/> has arrived.</summary>
    Task Held { get; }

    /// <summary>Holds the next comer until the returned action is called.</summary>
    Action HoldNext();
}
