using System.Diagnostics;

namespace TipBot.Benchmarks.Load;

public sealed record Percentiles(int Count, double Mean, double P50, double P90, double P95, double P99, double Max)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.ToArray();
        if (sorted.Length == 0) return new(0, 0, 0, 0, 0, 0, 0);
        Array.Sort(sorted);
        // Nearest rank: the smallest value with at least q of the samples at or below it.
        double At(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new(sorted.Length, Math.Round(sorted.Average(), 3), Round(At(0.50)), Round(At(0.90)), Round(At(0.95)), Round(At(0.99)), Round(sorted[^1]));
    }

    public static Percentiles OfTicks(IEnumerable<long> ticks) => Of(ticks.Select(Ms));

    public static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static double Round(double v) => Math.Round(v, 3);

    public string Row => $"{P50:0.00} / {P95:0.00} / {P99:0.00} (max {Max:0.0})";
}
