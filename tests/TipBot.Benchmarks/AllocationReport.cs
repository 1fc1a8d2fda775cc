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
        double suspendedAt = 0, paused = 0, longest = 0;
        var count = 0;
        long sampled = 0;
        source.Clr.GCStart += e =>
        {
            count++;
            var kind = $"gen{e.Depth} {e.Reason} {e.Type}";
            collections[kind] = collections.GetValueOrDefault(kind) + 1;
        };
        source.Clr.GCSuspendEEStart += e => suspendedAt = e.TimeStampRelativeMSec;
        source.Clr.GCRestartEEStop += e =>
        {
            if (suspendedAt == 0) return;
            var pause = e.TimeStampRelativeMSec - suspendedAt;
            paused += pause;
            longest = Math.Max(longest, pause);
            suspendedAt = 0;
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
        foreach (var (kind, n) in collections.OrderByDescending(c => c.Value)) Console.WriteLine($"  {n,6}  {kind}");
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
