using System.Globalization;
using System.Text.Json;

namespace TipBot.Benchmarks.Load;

/// <summary>`report FILE.json...`: the load results side by side, as the tables of docs/benchmarks.md.</summary>
public static class ReportCommand
{
    public static int Run(IReadOnlyList<string> files)
    {
        var paths = files.SelectMany(f => Directory.Exists(f) ? Directory.GetFiles(f, "*.json").Order().ToArray() : new[] { f });
        var results = paths
            .Select(f => (File: Path.GetFileNameWithoutExtension(f), Result: JsonSerializer.Deserialize<LoadResult>(File.ReadAllText(f))!))
            .ToList();
        if (results.Count == 0)
        {
            Console.Error.WriteLine("usage: report RESULT.json|DIR ...");
            return 2;
        }
        string F(double v) => v.ToString(v >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture);
        string P(Percentiles p) => $"{F(p.P50)} / {F(p.P95)} / {F(p.P99)}";
        static string Run(string file, LoadResult r) => r.Label.Length > 0 ? r.Label : file;

        Console.WriteLine("| run | stores | load | verified | turns/s | tips/s | reply p50 / p95 / p99 ms | submitted → alert p50 / p95 / p99 ms | alerts missing / dup | errors | server CPU cores | peak RSS MB (VmHWM) | machine busy % / load avg |");
        Console.WriteLine("|---|---|---|---|---:|---:|---|---|---|---|---:|---:|---|");
        foreach (var (file, r) in results)
        {
            var stores = r.Stores.StartsWith("embedded", StringComparison.Ordinal) ? "embedded" : r.Stores.Split(" (")[0].Replace(" + Redis", " + Redis", StringComparison.Ordinal);
            var load = r.Rate is { } rate ? $"{rate:0} tips/s open loop" : $"{r.Residents} residents";
            var errors = r.Errors.Count == 0 ? "0" : string.Join(", ", r.Errors.Select(kv => $"{kv.Key} {kv.Value}"));
            Console.WriteLine($"| {Run(file, r)} | {stores} | {load} | {(r.Verified ? "yes" : "**no**")} | {F(r.TurnsPerSecond)} | {F(r.TipsPerSecond)} | {P(r.ReplyLatencyMs)} | "
                + $"{P(r.SubmitToAlertMs)} (n={r.SubmitToAlertMs.Count}) | {r.Alerts.Missing} / {r.Alerts.Duplicated} | {errors} | {r.Server.CpuCores:0.00} | {r.Server.VmHwmMb:0} | {r.MachineCpuBusyPercent:0} / {r.LoadAverageBefore.Split(' ')[0]} |");
        }
        var redis = results.Where(x => x.Result.Redis is not null).ToList();
        if (redis.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("| run | held mid-tip | Redis used_memory Δ per conversation (B) | conversation key MEMORY USAGE (B) | state JSON (B) | delivery record (B) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (var (file, r) in redis)
                Console.WriteLine($"| {Run(file, r)} | {r.Redis!.HeldConversations} | {r.Redis.BytesPerHeldConversation:0} | {r.Redis.ConversationKeyMemoryUsage:0} | {r.Redis.StateJsonBytes:0} | {r.Redis.DeliveryKeyMemoryUsage:0} |");
        }
        var gc = results.Where(x => x.Result.Server.AllocatedKbPerTurn is not null).ToList();
        if (gc.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("| run | server allocated per turn KB | GC collections per 1,000 turns | time paused by the GC % |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var (file, r) in gc)
                Console.WriteLine($"| {Run(file, r)} | {r.Server.AllocatedKbPerTurn:0.0} | {r.Server.CollectionsPer1000Turns:0.00} | {r.Server.GcPausedPercent:0.0} |");
        }
        Console.WriteLine();
        Console.WriteLine("| run | start-up to ready ms | first tip after start ms | reply p50 / p99 per step ms |");
        Console.WriteLine("|---|---:|---:|---|");
        foreach (var (file, r) in results)
            Console.WriteLine($"| {Run(file, r)} | {r.Server.StartupToReadyMs:0} | {r.ColdTipMs:0} | "
                + string.Join("; ", r.ReplyLatencyByStepMs.Select(kv => $"{kv.Key} {F(kv.Value.P50)} / {F(kv.Value.P99)}")) + " |");
        return 0;
    }
}
