using TipBot.Server.Persistence;

namespace TipBot.Server.Directory;

/// <summary>
/// A value read from the records and kept for <c>maxAge</c>, reloaded by one caller at a time
/// while the others wait for it. <see cref="Invalidate"/> after a local change makes the next
/// read fresh; other nodes see the change within <c>maxAge</c>.
/// </summary>
public class CachedSnapshot<T>(Func<CancellationToken, Task<T>> load, TimeSpan maxAge, TimeProvider clock) where T : class
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private (T Value, DateTimeOffset LoadedAt)? _current;
    private int _generation;

    public async Task<T> GetAsync(CancellationToken ct)
    {
        if (Fresh() is { } value) return value;
        await _reload.WaitAsync(ct);
        try
        {
            if (Fresh() is { } loaded) return loaded;
            // A change made while we read must not be hidden behind the value read before it.
            var generation = Volatile.Read(ref _generation);
            var fresh = await load(ct);
            if (generation == Volatile.Read(ref _generation)) _current = (fresh, clock.GetUtcNow());
            return fresh;
        }
        finally
        {
            _reload.Release();
        }
    }

    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _current = null;
    }

    /// <summary>A loader that reads the records in a scope of its own (the cache outlives any request's).</summary>
    public static Func<CancellationToken, Task<T>> FromRecords(IServiceScopeFactory scopes, Func<TipBotDbContext, CancellationToken, Task<T>> read) =>
        async ct =>
        {
            await using var scope = scopes.CreateAsyncScope();
            return await read(scope.ServiceProvider.GetRequiredService<TipBotDbContext>(), ct);
        };

    private T? Fresh() => _current is { } c && clock.GetUtcNow() - c.LoadedAt < maxAge ? c.Value : null;
}
