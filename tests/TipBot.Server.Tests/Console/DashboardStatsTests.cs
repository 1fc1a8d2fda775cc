using System.Security.Claims;
using TipBot.Server.AdminConsole.Accounts;
using TipBot.Server.AdminConsole.Dashboard;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Console;

/// <summary>The dashboard's numbers as the database counts them, on SQLite and on PostgreSQL alike.</summary>
[Collection("integration")]
public abstract class DashboardStatsTests(StoreMode mode) : IAsyncLifetime
{
    private static readonly DateTime Now = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);
    private static readonly ClaimsPrincipal Admin = Account(ConsoleRole.Admin, "");
    private TipBotApp _app = null!;

    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(mode);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static ClaimsPrincipal Account(string role, string units) => ConsoleAccounts.PrincipalOf(new ConsoleAccountRecord
    {
        Id = Guid.NewGuid(), UserName = role, PasswordHash = "", Role = role, UnitCodes = units,
    });

    private static TipRecord Tip(DateTime received, string category = "drugs", string? unit = "20242", double? acceptedAfterHours = null, double? resolvedAfterHours = null)
    {
        var id = Guid.NewGuid();
        return new TipRecord
        {
            Id = id, SubmissionId = Guid.NewGuid(), Code = "TB-" + id.ToString("N")[..8], Description = "Bán ma túy gần chợ", Category = category,
            UnitCode = unit, AssignedUnitCode = unit, ReporterChannel = "telegram", ReporterKey = "k" + id, Culture = "vi",
            Status = TipStatus.Accepted, ReceivedAt = received,
            AcceptedAt = acceptedAfterHours is { } a ? received.AddHours(a) : null,
            ResolvedAt = resolvedAfterHours is { } r ? received.AddHours(r) : null,
        };
    }

    private static TipRecord Tip(double hoursAgo, string category = "drugs", string? unit = "20242", double? acceptedAfterHours = null, double? resolvedAfterHours = null) =>
        Tip(Now.AddHours(-hoursAgo), category, unit, acceptedAfterHours, resolvedAfterHours);

    private async Task<DashboardStats> StatsAsync(ClaimsPrincipal user, int days, params TipRecord[] tips)
    {
        await _app.WithDbAsync(async db =>
        {
            db.Tips.AddRange(tips);
            foreach (var tip in tips)
                db.TipEvents.Add(new TipEventRecord { TipId = tip.Id, Kind = "escalated", At = tip.ReceivedAt.AddMinutes(10) });
            return await db.SaveChangesAsync();
        });
        return await _app.WithDbAsync(db => DashboardStats.LoadAsync(db, user, Now, days, CancellationToken.None));
    }

    [Fact]
    public async Task Medians_and_sla_count_only_the_tips_they_apply_to()
    {
        var stats = await StatsAsync(Admin, 30,
            Tip(100, acceptedAfterHours: 2, resolvedAfterHours: 10),
            Tip(90, "theft", "20194", acceptedAfterHours: 30),
            Tip(40, "theft", "20194"),            // 24 h are up, never accepted: a miss
            Tip(3),                               // still inside its 24 h: not counted yet
            Tip(50, acceptedAfterHours: 4),
            Tip(24 * 40, acceptedAfterHours: 1)); // before the window

        Assert.Equal(5, stats.Total);
        Assert.Equal(TimeSpan.FromHours(4), stats.MedianToAcknowledge);      // 2, 4, 30
        Assert.Equal(TimeSpan.FromHours(10), stats.MedianToResolve);
        Assert.Equal(0.5, stats.SlaCompliance);                               // 2 of 4 due
        Assert.Equal(5, stats.Escalations);                                   // one per tip in the window
        Assert.Equal([("drugs", 3), ("theft", 2)], stats.ByCategory);
        Assert.Equal(3, stats.ByUnit["20242"]);
        Assert.Equal(2, stats.ByUnit["20194"]);
        Assert.Equal(30, stats.ByDay.Count);
        Assert.Equal(5, stats.ByDay.Sum(d => d.Count));
    }

    [Fact]
    public async Task The_median_of_an_even_count_is_halfway_between_the_middle_two()
    {
        var stats = await StatsAsync(Admin, 30,
            Tip(100, acceptedAfterHours: 1, resolvedAfterHours: 30),
            Tip(90, acceptedAfterHours: 2, resolvedAfterHours: 50),
            Tip(80, acceptedAfterHours: 5),
            Tip(70, acceptedAfterHours: 40));

        Assert.Equal(TimeSpan.FromHours(3.5), stats.MedianToAcknowledge);     // 1, 2 | 5, 40
        Assert.Equal(TimeSpan.FromHours(40), stats.MedianToResolve);          // 30 | 50
        Assert.Equal(0.75, stats.SlaCompliance);
    }

    [Fact]
    public async Task Days_are_counted_in_vietnam_time()
    {
        // 16:59 UTC on the 25th is 23:59 on the 25th in Vietnam (UTC+7); 17:00 and 18:30 are already the 26th.
        var stats = await StatsAsync(Admin, 2,
            Tip(new DateTime(2026, 11, 25, 16, 59, 0, DateTimeKind.Utc)),
            Tip(new DateTime(2026, 11, 25, 17, 0, 0, DateTimeKind.Utc)),
            Tip(new DateTime(2026, 11, 25, 18, 30, 0, DateTimeKind.Utc)));

        Assert.Equal([(new DateOnly(2026, 11, 25), 1), (new DateOnly(2026, 11, 26), 2)], stats.ByDay);
        Assert.Null(stats.MedianToAcknowledge);
        Assert.Null(stats.MedianToResolve);
    }

    [Fact]
    public async Task An_empty_window_has_no_medians_and_no_sla()
    {
        var stats = await StatsAsync(Admin, 30);

        Assert.Equal(0, stats.Total);
        Assert.Null(stats.MedianToAcknowledge);
        Assert.Null(stats.SlaCompliance);
        Assert.Empty(stats.ByUnit);
        Assert.All(stats.ByDay, d => Assert.Equal(0, d.Count));
    }

    [Fact]
    public async Task An_officers_numbers_count_only_the_tips_of_their_units()
    {
        var stats = await StatsAsync(Account(ConsoleRole.Officer, "20194"), 30,
            Tip(100, acceptedAfterHours: 2, resolvedAfterHours: 10),
            Tip(90, "theft", "20194", acceptedAfterHours: 30),
            Tip(40, "theft", "20194"),
            Tip(50, acceptedAfterHours: 4));

        Assert.Equal(2, stats.Total);
        Assert.Equal([("theft", 2)], stats.ByCategory);
        Assert.Equal(["20194"], stats.ByUnit.Keys);
        Assert.Equal(TimeSpan.FromHours(30), stats.MedianToAcknowledge);
        Assert.Null(stats.MedianToResolve);
        Assert.Equal(0.0, stats.SlaCompliance);
        Assert.Equal(2, stats.Escalations);
        Assert.Equal(2, stats.ByDay.Sum(d => d.Count));
    }
}

public sealed class DashboardStatsOnEmbeddedStores() : DashboardStatsTests(StoreMode.Embedded);

public sealed class DashboardStatsOnRedisAndPostgres() : DashboardStatsTests(StoreMode.Production);
