using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace TipBot.Benchmarks;

/// <summary>
/// Reads a GC trace of the server under load (dotnet-trace with the runtime's GC keyword at verbose
/// level, docs/benchmarks.md "Profiling") and prints what the collections cost and who allocates:
/// the runtime samples an allocation about every 100 KB with its type and stack, so the sampled bytes
/// are proportional to what each type, and each first caller outside the framework, allocated.
/// </summary>
public static class AllocationReport
{
    public static int Run(string[] args)
    {
        if (args.Length == 0 || !File.Exists(args[0]))
        {
            Console.Error.WriteLine("usage: alloc-report TRACE.nettrace [TYPE (default System.Byte[])]");
            return 2;
        }
        var focus = args.Length > 1 ? args[1] : "System.Byte[]";
        using var trace = new TraceLog(TraceLog.CreateFromEventPipeDataFile(args[0]));
        var source = trace.Events.GetSource();

        var collections = new Dictionary<string, int>();
        var byType = new Dictionary<string, long>();
        var byCaller = new Dictionary<string, long>();
        // Per generation, what a collection paused for and what it kept: its survivors are most of
        // what a young collection's work costs, and what reached them says who holds them.
        var perGeneration = new Dictionary<int, (int Count, double Kb, double Pause)>();
        var keptByRoot = new Dictionary<string, long>();
        double suspendedAt = 0, paused = 0, longest = 0, suspending = 0, collectingFrom = 0, collecting = 0, keptKb = 0;
        var (count, depth) = (0, -1);
        long sampled = 0;
        source.Clr.GCStart += e =>
        {
            count++;
            var kind = $"gen{e.Depth} {e.Reason} {e.Type}";
            collections[kind] = collections.GetValueOrDefault(kind) + 1;
            (collectingFrom, depth) = (e.TimeStampRelativeMSec, e.Depth);
        };
        source.Clr.GCStop += e =>
        {
            if (collectingFrom > 0) collecting += e.TimeStampRelativeMSec - collectingFrom;
            collectingFrom = 0;
        };
        source.Clr.GCHeapStats += e => keptKb = (e.TotalPromotedSize0 + e.TotalPromotedSize1 + (depth == 2 ? e.TotalPromotedSize2 : 0)) / 1024.0;
        source.Clr.GCMarkWithType += e =>
        {
            var root = e.Type switch { 0 => "stacks", 1 => "finalization queue", 2 => "handles", 3 => "older generations (cards)", 4 => "sized refs", 5 => "overflow", _ => $"kind {e.Type}" };
            keptByRoot[root] = keptByRoot.GetValueOrDefault(root) + e.Promoted;
        };
        // Gen0's budget: what the GC lets be allocated before the next collection, so what it commits between them.
        var gen0Budgets = new List<double>();
        source.Clr.GCGlobalHeapHistory += e =>
        {
            if (e.FinalYoungestDesired > 0) gen0Budgets.Add(e.FinalYoungestDesired / 1048576.0); // a background collection sets none
        };
        source.Clr.GCSuspendEEStart += e => suspendedAt = e.TimeStampRelativeMSec;
        source.Clr.GCSuspendEEStop += e => { if (suspendedAt > 0) suspending += e.TimeStampRelativeMSec - suspendedAt; };
        source.Clr.GCRestartEEStop += e =>
        {
            if (suspendedAt == 0) return;
            var pause = e.TimeStampRelativeMSec - suspendedAt;
            paused += pause;
            longest = Math.Max(longest, pause);
            suspendedAt = 0;
            if (depth < 0) return;
            var (n, kb, generationPause) = perGeneration.GetValueOrDefault(depth);
            perGeneration[depth] = (n + 1, kb + keptKb, generationPause + pause);
            depth = -1;
        };
        source.Clr.GCAllocationTick += e =>
        {
            sampled += e.AllocationAmount64;
            byType[e.TypeName] = byType.GetValueOrDefault(e.TypeName) + e.AllocationAmount64;
            if (e.TypeName != focus) return;
            var caller = Caller(e.CallStack());
            byCaller[caller] = byCaller.GetValueOrDefault(caller) + e.AllocationAmount64;
        };
        source.Process();

        var seconds = Math.Max(0.001, source.SessionDuration.TotalSeconds);
        Console.WriteLine($"{seconds:0.0} s traced: {count} collections, paused {paused:0} ms ({paused / seconds / 10:0.0} %), longest pause {longest:0.0} ms, {sampled / 1e6:0} MB allocated (sampled)");
        Console.WriteLine($"  of the pauses: {suspending:0} ms stopping the threads, {collecting:0} ms collecting (background collections' work included)");
        foreach (var (kind, n) in collections.OrderByDescending(c => c.Value)) Console.WriteLine($"  {n,6}  {kind}");
        foreach (var (gen, (n, kb, pause)) in perGeneration.OrderBy(p => p.Key))
            Console.WriteLine($"  gen{gen}: {pause / n:0.00} ms paused, {kb / n:0} KB kept, per collection");
        if (gen0Budgets.Count > 0)
        {
            gen0Budgets.Sort();
            Console.WriteLine($"  gen0 budget after a collection: {gen0Budgets[0]:0.0} / {gen0Budgets[gen0Budgets.Count / 2]:0.0} / {gen0Budgets[^1]:0.0} MB (least / median / most)");
        }
        Console.WriteLine("  kept, by what reached it: " + string.Join(", ", keptByRoot.Where(m => m.Value >= 50_000).OrderByDescending(m => m.Value).Select(m => $"{m.Key} {m.Value / 1e6:0.0} MB")));
        Console.WriteLine("\nallocated, by type:");
        foreach (var (type, bytes) in byType.OrderByDescending(t => t.Value).Take(20)) Console.WriteLine($"  {bytes / 1e6,8:0.0} MB  {Shorten(type)}");
        Console.WriteLine($"\n{focus}, by the first callers outside the framework:");
        foreach (var (caller, bytes) in byCaller.OrderByDescending(c => c.Value).Take(15)) Console.WriteLine($"  {bytes / 1e6,8:0.0} MB  {caller}");
        return 0;
    }

    /// <summary>From the frame just before the first method outside System.* and Microsoft.Extensions.*, three frames.</summary>
    private static string Caller(TraceCallStack? stack)
    {
        var frames = new List<string>();
        for (; stack is not null && frames.Count < 40; stack = stack.Caller)
            if (stack.CodeAddress.FullMethodName is { Length: > 0 } name) frames.Add(name);
        var first = frames.FindIndex(f => !f.StartsWith("System.", StringComparison.Ordinal) && !f.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal));
        return string.Join(" < ", frames.Skip(Math.Max(0, first < 0 ? 0 : first - 1)).Take(3).Select(Shorten));
    }

    private static string Shorten(string name) => name.Length > 140 ? name[..140] + "…" : name;
}
