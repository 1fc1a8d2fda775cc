using Microsoft.Extensions.Time.Testing;
using TipBot.Server.Directory;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tests.Directory;

public sealed class CachedSnapshotTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_value_is_read_once_per_max_age_and_again_after_an_invalidation()
    {
        var loads = 0;
        var snapshot = new CachedSnapshot<string>(_ => Task.FromResult($"v{++loads}"), TimeSpan.FromSeconds(10), _clock);

        Assert.Equal("v1", await snapshot.GetAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal("v1", await snapshot.GetAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("v2", await snapshot.GetAsync(CancellationToken.None));
        snapshot.Invalidate();
        Assert.Equal("v3", await snapshot.GetAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_change_made_while_the_records_are_read_is_not_hidden_behind_the_older_read()
    {
        var reading = new TaskCompletionSource();
        var release = new TaskCompletionSource<string>();
        var calls = 0;
        var snapshot = new CachedSnapshot<string>(_ =>
        {
            if (++calls > 1) return Task.FromResult("after the change");
            reading.SetResult();
            return release.Task;
        }, TimeSpan.FromMinutes(1), _clock);

        var first = snapshot.GetAsync(CancellationToken.None);
        await reading.Task;
        snapshot.Invalidate(); // e.g. an officer's /offduty committed while the roster was being read
        release.SetResult("before the change");

        Assert.Equal("before the change", await first);
        Assert.Equal("after the change", await snapshot.GetAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("Host=db;Database=tipbot", "Max Auto Prepare=64", "No Reset On Close=true")]
    [InlineData("Host=db;Database=tipbot;Max Auto Prepare=0", "Max Auto Prepare=0", "No Reset On Close=true")]
    [InlineData("Host=db;Database=tipbot;NoResetOnClose=false", "Max Auto Prepare=64", "NoResetOnClose=false")]
    public void PostgreSQL_gets_prepared_statements_unless_the_operator_says_otherwise(string configured, string expected1, string expected2)
    {
        var effective = DatabaseConnection.WithPostgresDefaults(configured).Replace("\"", "", StringComparison.Ordinal);
        Assert.Contains(expected1, effective, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(expected2, effective, StringComparison.OrdinalIgnoreCase);
        Assert.Single(effective.Split(';'), part => part.Replace(" ", "", StringComparison.Ordinal).StartsWith("MaxAutoPrepare=", StringComparison.OrdinalIgnoreCase));
    }
}
