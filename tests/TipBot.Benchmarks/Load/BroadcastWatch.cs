using System.Collections.Concurrent;
using System.Diagnostics;

namespace TipBot.Benchmarks.Load;

/// <summary>
/// What the Telegram double saw of a broadcast, and the limits it enforces once <see cref="Enforce"/>
/// is called: at most R accepted messages in any sliding second (not per clock second), and one
/// per chat per second, answering Telegram's 429 beyond. Accepted copies of the notice are kept
/// per chat with their arrival (Stopwatch ticks).
/// </summary>
public sealed class BroadcastWatch(string noticeText)
{
    private readonly Lock _gate = new();
    private readonly Queue<long> _window = new();
    private readonly Dictionary<long, long> _lastToChat = [];
    private int _limit;
    private long _tooMany, _tooManyPerChat, _accepted;
    private int _peakWindow;
    private (long Count, TaskCompletionSource Reached)? _awaited;

    public string NoticeText { get; } = noticeText;

    /// <summary>Chats that got the "🔔 …" subscription confirmation.</summary>
    public ConcurrentDictionary<long, byte> Subscribed { get; } = new();

    /// <summary>Every accepted copy of the notice, per chat: arrival ticks in order.</summary>
    public ConcurrentDictionary<long, List<long>> Copies { get; } = new();

    public long NoticeAccepted => Interlocked.Read(ref _accepted);
    public long TooManyRequests => Interlocked.Read(ref _tooMany);
    public long TooManyRequestsPerChat => Interlocked.Read(ref _tooManyPerChat);
    public long FirstAt { get; private set; }
    public long LastAt { get; private set; }

    /// <summary>The most messages accepted within any one-second window so far.</summary>
    public int PeakWindow { get { lock (_gate) return _peakWindow; } }

    /// <summary>Completes once <paramref name="count"/> copies of the notice were accepted (one wait at a time).</summary>
    public Task AcceptedAsync(long count)
    {
        lock (_gate)
        {
            if (_accepted >= count) return Task.CompletedTask;
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _awaited = (count, reached);
            return reached.Task;
        }
    }

    public void Enforce(int messagesPerSecond)
    {
        lock (_gate) _limit = messagesPerSecond;
    }

    /// <summary>Whether to accept a sendMessage; if not, the retry_after to answer (seconds).</summary>
    public bool Accept(long chat, string text, long now, out int retryAfter)
    {
        retryAfter = 0;
        var second = Stopwatch.Frequency;
        lock (_gate)
        {
            if (_limit > 0)
            {
                while (_window.Count > 0 && _window.Peek() <= now - second) _window.Dequeue();
                if (_window.Count >= _limit)
                {
                    _tooMany++;
                    retryAfter = (int)Math.Max(1, Math.Ceiling((double)(_window.Peek() + second - now) / second));
                    return false;
                }
                if (_lastToChat.TryGetValue(chat, out var last) && now - last < second)
                {
                    _tooMany++;
                    _tooManyPerChat++;
                    retryAfter = 1;
                    return false;
                }
                _window.Enqueue(now);
                _lastToChat[chat] = now;
                _peakWindow = Math.Max(_peakWindow, _window.Count);
            }
            if (text == NoticeText)
            {
                _accepted++;
                if (_awaited is { } awaited && _accepted >= awaited.Count) awaited.Reached.TrySetResult();
                if (FirstAt == 0) FirstAt = now;
                LastAt = Math.Max(LastAt, now);
                var copies = Copies.GetOrAdd(chat, _ => []);
                copies.Add(now);
            }
        }
        if (text.StartsWith("🔔", StringComparison.Ordinal)) Subscribed.TryAdd(chat, 0);
        return true;
    }
}
