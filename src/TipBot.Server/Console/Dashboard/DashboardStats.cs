namespace TipBot.Server.AdminConsole.Dashboard;

/// <summary>The numbers on the dashboard, computed from one window of tips.</summary>
public sealed record DashboardStats(
    int Total,
    IReadOnlyList<(string Code, int Count)> ByCategory,
    IReadOnlyDictionary<string, int> ByUnit,
    IReadOnlyList<(DateOnly Day, int Count)> ByDay,
    TimeSpan? MedianToAcknowledge,
    TimeSpan? MedianToResolve,
    int Escalations,
    double? SlaCompliance)
{
    public static readonly TimeSpan Sla = TimeSpan.FromHours(24);

    public sealed record TipTimes(DateTime ReceivedAt, string Category, string? UnitCode, DateTime? AcceptedAt, DateTime? ResolvedAt);

    public static DashboardStats From(IReadOnlyList<TipTimes> tips, int escalations, DateTime now, int days)
    {
        var today = DateOnly.FromDateTime(VietnamTime.Local(now));
        // Each tip's local day once (a time-zone conversion is not free): 30 passes over 50,000 tips took half a second.
        var perDay = tips.CountBy(t => DateOnly.FromDateTime(VietnamTime.Local(t.ReceivedAt))).ToDictionary(x => x.Key, x => x.Value);
        var byDay = Enumerable.Range(0, days).Select(i => today.AddDays(i - days + 1))
            .Select(day => (day, perDay.GetValueOrDefault(day))).ToList();
        // SLA: acknowledged within 24 h, over the tips whose 24 h are up (or that were acknowledged sooner).
        var due = tips.Where(t => t.AcceptedAt is not null || now - t.ReceivedAt >= Sla).ToList();
        var inTime = due.Count(t => t.AcceptedAt is { } at && at - t.ReceivedAt <= Sla);
        return new DashboardStats(
            tips.Count,
            tips.GroupBy(t => t.Category).Select(g => (g.Key, g.Count())).OrderByDescending(x => x.Item2).ToList(),
            tips.Where(t => t.UnitCode is not null).GroupBy(t => t.UnitCode!).ToDictionary(g => g.Key, g => g.Count()),
            byDay,
            Median(tips.Where(t => t.AcceptedAt is not null).Select(t => t.AcceptedAt!.Value - t.ReceivedAt)),
            Median(tips.Where(t => t.ResolvedAt is not null).Select(t => t.ResolvedAt!.Value - t.ReceivedAt)),
            escalations,
            due.Count == 0 ? null : (double)inTime / due.Count);
    }

    private static TimeSpan? Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0) return null;
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static string Duration(TimeSpan? span) => span switch
    {
        null => "—",
        { TotalMinutes: < 60 } s => $"{s.TotalMinutes:0} min",
        { TotalHours: < 48 } s => $"{s.TotalHours:0.#} h",
        { } s => $"{s.TotalDays:0.#} d",
    };
}
