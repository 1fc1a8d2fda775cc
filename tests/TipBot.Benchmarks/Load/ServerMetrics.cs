using System.Globalization;

namespace TipBot.Benchmarks.Load;

/// <summary>
/// The server's own counters, read from its /metrics page at the window's start and end: bytes
/// allocated, collections and time paused by the GC (the runtime's meter) against the turns it
/// handled. Allocation per turn is this machine's steadiest figure: three runs of one build agree
/// to 0.1 KB where their turns/s differ by 8 % (docs/benchmarks.md, nineteenth session).
/// </summary>
internal sealed record ServerMetrics(double AllocatedBytes, double Collections, double PausedSeconds, double Turns)
{
    /// <summary>The counters now; null when the page cannot be read (metrics off, or an older server without the runtime's meter).</summary>
    public static async Task<ServerMetrics?> ReadAsync(string serverUrl)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        string page;
        try
        {
            page = await http.GetStringAsync(serverUrl + "/metrics");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in page.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var space = line.LastIndexOf(' ');
            var name = line[..Math.Max(0, line.IndexOfAny(['{', ' ']))];
            if (space > 0 && double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                sums[name] = sums.GetValueOrDefault(name) + value; // every label set: all generations, all outcomes
        }
        return sums.TryGetValue("system_runtime_dotnet_gc_heap_total_allocated", out var allocated) && sums.TryGetValue("tipbot_turns", out var turns)
            ? new ServerMetrics(allocated, sums.GetValueOrDefault("system_runtime_dotnet_gc_collections"), sums.GetValueOrDefault("system_runtime_dotnet_gc_pause_time"), turns)
            : null;
    }

    /// <summary>What happened between <paramref name="start"/> and <paramref name="end"/>, <paramref name="seconds"/> apart.</summary>
    public static void Record(ServerMetrics? start, ServerMetrics? end, double seconds, ServerFigures into)
    {
        if (start is null || end is null || end.Turns <= start.Turns) return;
        var turns = end.Turns - start.Turns;
        into.AllocatedKbPerTurn = Math.Round((end.AllocatedBytes - start.AllocatedBytes) / turns / 1024, 1);
        into.CollectionsPer1000Turns = Math.Round((end.Collections - start.Collections) * 1000 / turns, 2);
        into.GcPausedPercent = Math.Round(100 * (end.PausedSeconds - start.PausedSeconds) / seconds, 1);
    }
}
