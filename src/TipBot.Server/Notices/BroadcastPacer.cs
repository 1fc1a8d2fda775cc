using System.Collections.Concurrent;

namespace TipBot.Server.Notices;

/// <summary>
/// One pace per channel in this process, shared by every broadcast job, so two notices (or two
/// workers on one notice) at once do not double it. Several nodes each keep their own: divide the
/// rate by the nodes.
/// </summary>
public sealed class BroadcastPacer(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Pace> _paces = new();

    public Pace For(string channel, double messagesPerSecond) => _paces.GetOrAdd(channel, _ => new Pace(messagesPerSecond, clock));
}

/// <summary>
/// Evenly spaced sends: each caller is given the next slot, 1/rate after the one before, and waits
/// for it. A slot nobody was ready for is lost, never saved up, so any second — sliding, not only
/// the clock's — holds at most rate + 1 sends. (The token bucket this replaces refilled a tenth of
/// a second's worth every 100 ms on top of a full bucket: up to 1.1 × the rate in a sliding second,
/// which a platform counting that way answers with 429s.)
/// </summary>
public sealed class Pace
{
    private readonly TimeProvider _clock;
    private readonly long _interval;
    private readonly Lock _gate = new();
    private long _next;

    public Pace(double messagesPerSecond, TimeProvider clock)
    {
        _clock = clock;
        MessagesPerSecond = Math.Max(messagesPerSecond, 0.01);
        _interval = Math.Max(1, (long)Math.Round(clock.TimestampFrequency / MessagesPerSecond));
    }

    public double MessagesPerSecond { get; }

    /// <summary>Waits for this caller's slot.</summary>
    public async ValueTask WaitAsync(CancellationToken ct)
    {
        var wait = Reserve();
        if (wait > TimeSpan.Zero) await Task.Delay(wait, _clock, ct);
    }

    /// <summary>
    /// The platform said "too many" and how long to wait: nobody's slot comes before then. (Each
    /// refused message goes back to the queue and waits for a slot like the rest.)
    /// </summary>
    public void PauseFor(TimeSpan wait)
    {
        lock (_gate)
        {
            var resume = _clock.GetTimestamp() + (long)(wait.TotalSeconds * _clock.TimestampFrequency);
            _next = Math.Max(_next, resume);
        }
    }

    /// <summary>Takes the next slot; returns how long until it comes.</summary>
    public TimeSpan Reserve()
    {
        long now, slot;
        lock (_gate)
        {
            now = _clock.GetTimestamp();
            slot = Math.Max(now, _next);
            _next = slot + _interval;
        }
        return _clock.GetElapsedTime(now, slot);
    }
}
