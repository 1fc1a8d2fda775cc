using System.Collections.Concurrent;
using System.Diagnostics;

namespace TipBot.FaultTests.Infrastructure;

public sealed record RunEvent(DateTime At, string Kind, string Detail);

/// <summary>What happened when, in order: faults, kills, restarts, progress. Written to a file as it happens.</summary>
public sealed class EventLog(string path, Action<string>? echo = null)
{
    private readonly ConcurrentQueue<RunEvent> _events = new();
    private readonly Lock _file = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public IReadOnlyList<RunEvent> Events => _events.ToArray();

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Add(string kind, string detail)
    {
        var e = new RunEvent(DateTime.UtcNow, kind, detail);
        _events.Enqueue(e);
        var line = $"{_clock.Elapsed.TotalSeconds,7:0.0}s {kind,-14} {detail}";
        lock (_file) File.AppendAllText(path, line + "\n");
        echo?.Invoke(line);
    }

    public IEnumerable<RunEvent> OfKind(string kind) => _events.Where(e => e.Kind == kind);
}
