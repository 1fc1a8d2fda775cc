using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;
using TipBot.Server.Tips;

namespace TipBot.Server.Tests.Tips;

/// <summary>
/// Routing's figures for each officer — open tips and last assignment — read from the records,
/// counted up to a cap, and read again by one routing at a time once they are old: a burst of tips
/// for one ward must not send a burst of the same count to the database.
/// </summary>
[Collection("integration")]
public abstract class OfficerLoadsTests(StoreMode mode) : IAsyncLifetime
{
    private static readonly DateTime T0 = new(2026, 11, 26, 8, 0, 0, DateTimeKind.Utc);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(T0));
    // Routing's count of open tips.
    private readonly CommandCounter _counts = new(sql => sql.Contains("officers", StringComparison.Ordinal)
        && sql.Contains("assignments", StringComparison.Ordinal) && sql.Contains("count(", StringComparison.OrdinalIgnoreCase));
    private TipBotApp _app = null!;
    private int _codes;

    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(mode, b =>
        b.ConfigureTestServices(services => services.AddDatabaseInterceptors(mode, _counts)));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    // Written directly: what is under test only reads them.
    private Task AssignAsync(string officer, int count, string status = AssignmentStatus.Alerted, string tipStatus = TipStatus.Assigned, DateTime? at = null) =>
        _app.WithDbAsync(db =>
        {
            for (var i = 0; i < count; i++)
            {
                var tip = new TipRecord
                {
                    Id = Guid.NewGuid(), SubmissionId = Guid.NewGuid(), Code = $"DN-{Interlocked.Increment(ref _codes):D6}", Description = "Có người bán ma túy",
                    Category = "drugs", ReporterChannel = "telegram", ReporterKey = "k", Culture = "vi", Status = tipStatus, ReceivedAt = T0,
                };
                db.Tips.Add(tip);
                db.Assignments.Add(new AssignmentRecord { Id = Guid.NewGuid(), TipId = tip.Id, OfficerId = officer, UnitCode = "20242", Reason = "UnitOfficer", Status = status, CreatedAt = at ?? T0 });
            }
            return db.SaveChangesAsync();
        });

    private async Task<(Dictionary<string, int> Open, Dictionary<string, DateTimeOffset> LastAssigned)> GetAsync(OfficerLoads loads, params string[] officers)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await loads.GetAsync(scope.ServiceProvider.GetRequiredService<TipBotDbContext>(), officers, CancellationToken.None);
    }

    [Fact]
    public async Task Open_tips_are_counted_up_to_the_cap_with_each_officers_last_assignment()
    {
        await AssignAsync("o-20242", 3);
        await AssignAsync("o-20242", 1, AssignmentStatus.Accepted, TipStatus.Accepted);
        await AssignAsync("o-20242", 2, AssignmentStatus.Accepted, TipStatus.Resolved);
        await AssignAsync("o-20242", 1, AssignmentStatus.Moved, at: T0.AddMinutes(1)); // escalated to the next in line
        await AssignAsync("o-20257", OfficerLoads.CountCap + 5); // a ward's burst

        var (open, last) = await GetAsync(new OfficerLoads(_clock), "o-20242", "o-20257", "o-20194");

        Assert.Equal(4, open["o-20242"]);
        Assert.Equal(OfficerLoads.CountCap, open["o-20257"]);
        Assert.False(open.ContainsKey("o-20194"));
        Assert.Equal(T0.AddMinutes(1), last["o-20242"].UtcDateTime);
        Assert.Equal(T0, last["o-20257"].UtcDateTime);
        Assert.False(last.ContainsKey("o-20194"));
    }

    [Fact]
    public async Task Old_figures_are_read_again_by_one_routing_while_the_others_use_the_ones_they_have()
    {
        await AssignAsync("o-20242", 2);
        var loads = new OfficerLoads(_clock);
        Assert.Equal(2, (await GetAsync(loads, "o-20242")).Open["o-20242"]);
        Assert.Equal(1, _counts.Count);
        loads.Assigned("o-20242", T0); // this node's own routing, counted forward
        await AssignAsync("o-20242", 3); // and another node's, seen at the next read

        _clock.Advance(OfficerLoads.MaxAge);
        var release = _counts.HoldNext();
        var reading = GetAsync(loads, "o-20242");
        await _counts.Held.WaitAsync(TimeSpan.FromSeconds(20));

        var meanwhile = await GetAsync(loads, "o-20242").WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(3, meanwhile.Open["o-20242"]);
        Assert.Equal(2, _counts.Count);

        release();
        Assert.Equal(5, (await reading.WaitAsync(TimeSpan.FromSeconds(20))).Open["o-20242"]);
        _clock.Advance(OfficerLoads.MaxAge);
        await GetAsync(loads, "o-20242"); // the claim ended with the read
        Assert.Equal(3, _counts.Count);
    }

    [Fact]
    public async Task A_residents_turn_gets_the_figures_only_while_all_of_them_are_fresh_and_never_reads()
    {
        await AssignAsync("o-20242", 2);
        var loads = new OfficerLoads(_clock);
        Assert.False(loads.TryGetFresh(["o-20242"], out _, out _)); // none read yet
        await GetAsync(loads, "o-20242");
        loads.Assigned("o-20242", T0.AddSeconds(1));

        Assert.True(loads.TryGetFresh(["o-20242"], out var open, out var last));
        Assert.Equal(3, open["o-20242"]); // counted forward
        Assert.Equal(T0.AddSeconds(1), last["o-20242"].UtcDateTime);
        Assert.False(loads.TryGetFresh(["o-20242", "o-20257"], out _, out _)); // one of them never read

        _clock.Advance(OfficerLoads.MaxAge);
        Assert.False(loads.TryGetFresh(["o-20242"], out _, out _)); // old: left to a routing that reads
        Assert.Equal(1, _counts.Count);
    }
}

public sealed class OfficerLoadsOnEmbeddedStores() : OfficerLoadsTests(StoreMode.Embedded);

public sealed class OfficerLoadsOnRedisAndPostgres() : OfficerLoadsTests(StoreMode.Production);
