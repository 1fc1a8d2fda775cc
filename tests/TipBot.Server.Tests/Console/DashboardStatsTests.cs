using TipBot.Server.AdminConsole.Dashboard;

namespace TipBot.Server.Tests.Console;

public sealed class DashboardStatsTests
{
    private static readonly DateTime Now = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);

    private static DashboardStats.TipTimes Tip(double hoursAgo, string category = "drugs", string? unit = "20242", double? acceptedAfterHours = null, double? resolvedAfterHours = null)
    {
        var received = Now.AddHours(-hoursAgo);
        return new(received, category, unit,
            acceptedAfterHours is { } a ? received.AddHours(a) : null,
            resolvedAfterHours is { } r ? received.AddHours(r) : null);
    }

    [Fact]
    public void Medians_and_sla_count_only_the_tips_they_apply_to()
    {
        var stats = DashboardStats.From(
        [
            Tip(100, acceptedAfterHours: 2, resolvedAfterHours: 10),
            Tip(90, "theft", "20194", acceptedAfterHours: 30),
            Tip(40, "theft", "20194"),            // 24 h are up, never accepted: a miss
            Tip(3),                               // still inside its 24 h: not counted yet
            Tip(50, acceptedAfterHours: 4),
        ], escalations: 2, Now, days: 30);

        Assert.Equal(5, stats.Total);
        Assert.Equal(TimeSpan.FromHours(4), stats.MedianToAcknowledge);      // 2, 4, 30
        Assert.Equal(TimeSpan.FromHours(10), stats.MedianToResolve);
        Assert.Equal(0.5, stats.SlaCompliance);                               // 2 of 4 due
        Assert.Equal(2, stats.Escalations);
        Assert.Equal([("drugs", 3), ("theft", 2)], stats.ByCategory);
        Assert.Equal(3, stats.ByUnit["20242"]);
        Assert.Equal(30, stats.ByDay.Count);
        Assert.Equal(5, stats.ByDay.Sum(d => d.Count));
    }

    [Fact]
    public void Days_are_counted_in_vietnam_time()
    {
        // 18:30 UTC on the 25th is 01:30 on the 26th in Vietnam (UTC+7).
        var stats = DashboardStats.From([new(new DateTime(2026, 11, 25, 18, 30, 0, DateTimeKind.Utc), "drugs", null, null, null)], 0, Now, days: 2);

        Assert.Equal([(new DateOnly(2026, 11, 25), 0), (new DateOnly(2026, 11, 26), 1)], stats.ByDay);
        Assert.Null(stats.MedianToAcknowledge);
        Assert.Null(stats.SlaCompliance);
    }
}
