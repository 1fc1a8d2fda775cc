using System.Collections.Concurrent;
using StackExchange.Redis;
using TipBot.Server.Conversations;

namespace TipBot.Server.Channels;

/// <summary>
/// One holder at a time for a named critical section (an OAuth refresh): across every node when
/// Redis is configured, within this process otherwise.
/// </summary>
public interface IRefreshLease
{
    /// <exception cref="TimeoutException">Another holder kept the lease longer than a caller should wait.</exception>
    Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken ct);
}

public sealed class InProcessRefreshLease : IRefreshLease
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public async Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken ct)
    {
        var gate = _gates.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(RedisRefreshLease.WaitAtMost, ct)) throw new TimeoutException($"lease {name} is busy");
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// SET key token NX PX: the node that sets the key holds the lease; the others poll. The lease
/// expires by itself if its holder dies, and is released only by the holder (compare-and-delete),
/// so a holder that overran its time cannot free a lease someone else now holds.
/// </summary>
public sealed class RedisRefreshLease(IConnectionMultiplexer redis, RedisKeyPrefix prefix, TimeProvider clock) : IRefreshLease
{
    /// <summary>Longer than a refresh takes (the OAuth client times out at 15 s), short enough to outlive a crashed holder quickly.</summary>
    public static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan WaitAtMost = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(100);

    private const string ReleaseScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    public async Task<IAsyncDisposable> AcquireAsync(string name, CancellationToken ct)
    {
        RedisKey key = $"{prefix.Value}:lease:{name}";
        var holder = Guid.NewGuid().ToString("N");
        var db = redis.GetDatabase();
        var deadline = clock.GetUtcNow() + WaitAtMost;
        while (!await db.StringSetAsync(key, holder, LeaseTime, When.NotExists))
        {
            if (clock.GetUtcNow() > deadline) throw new TimeoutException($"lease {name} is busy");
            await Task.Delay(PollEvery, clock, ct);
        }
        return new Release(db, key, holder);
    }

    private sealed class Release(IDatabase db, RedisKey key, string holder) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await db.ScriptEvaluateAsync(ReleaseScript, [key], [holder]);
            }
            catch (RedisException)
            {
                // The lease expires by itself after LeaseTime; the work it guarded is done.
            }
        }
    }
}
