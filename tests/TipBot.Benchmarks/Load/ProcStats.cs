using System.Globalization;
using System.Runtime.InteropServices;

namespace TipBot.Benchmarks.Load;

/// <summary>Linux /proc readings: a process's CPU time and memory, and the whole machine's CPU.</summary>
public static partial class ProcStats
{
    private const int ScClockTicks = 2; // _SC_CLK_TCK

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    private static readonly Lazy<double> TicksPerSecond = new(() =>
    {
        try { var t = SysConf(ScClockTicks); return t > 0 ? t : 100; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return 100; }
    });

    /// <summary>SIGTERM: the server's graceful stop (Hangfire and Kestrel drain).</summary>
    public static bool Terminate(int pid) => Kill(pid, 15) == 0;

    /// <summary>SIGKILL: no chance to finish anything, as a crash or an OOM kill.</summary>
    public static bool KillHard(int pid) => Kill(pid, 9) == 0;

    /// <summary>User + system CPU seconds of a process (/proc/PID/stat fields 14 and 15).</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state); utime is field 14, stime field 15.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond.Value;
    }

    /// <summary>A /proc/PID/status value in kB (VmRSS, VmHWM, VmSize), or 0 when absent.</summary>
    public static long StatusKb(int pid, string key)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
                return long.Parse(line[(key.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return 0;
    }

    /// <summary>Busy and total jiffies of all CPUs together (/proc/stat "cpu" line).</summary>
    public static (long Busy, long Total) MachineCpu()
    {
        var parts = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(p => long.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var total = parts.Take(8).Sum(); // user nice system idle iowait irq softirq steal
        var idle = parts[3] + parts[4];
        return (total - idle, total);
    }

    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Trim();

    public static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";

    public static long MemTotalKb() =>
        long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    public static string OsName()
    {
        const string file = "/etc/os-release";
        var pretty = File.Exists(file) ? File.ReadLines(file).FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal)) : null;
        return (pretty?.Split('=', 2)[1].Trim('"') ?? RuntimeInformation.OSDescription) + ", kernel " + Environment.OSVersion.Version;
    }
}
