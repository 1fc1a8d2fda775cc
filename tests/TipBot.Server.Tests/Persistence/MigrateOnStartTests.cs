using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tests.Persistence;

/// <summary>
/// A node that starts while PostgreSQL restarts waits for it instead of exiting (the long fault
/// runs saw two such exits per run); a database that says no for good still stops the start at once.
/// </summary>
public class MigrateOnStartTests
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(10);

    [Fact]
    public async Task A_refused_connection_is_what_npgsql_reports_for_a_database_not_up_yet()
    {
        await using var connection = new NpgsqlConnection("Host=127.0.0.1;Port=1;Username=tipbot;Timeout=2");
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => connection.OpenAsync());

        Assert.True(DbErrors.IsNotUpYet(refused), refused.ToString());
        Assert.True(DbErrors.IsNotUpYet(new InvalidOperationException("likely transient", refused))); // as EF's retrying strategy wraps it
    }

    [Fact]
    public async Task Migration_is_tried_again_while_the_database_is_starting_and_runs_once_it_is_up()
    {
        var calls = 0;
        await MigrateOnStart.UntilReachableAsync(() =>
        {
            if (++calls < 3) throw new PostgresException("the database system is starting up", "FATAL", "FATAL", PostgresErrorCodes.CannotConnectNow);
            return Task.CompletedTask;
        }, TimeSpan.FromSeconds(10), Pause, TimeProvider.System, NullLogger.Instance, CancellationToken.None);

        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task A_database_that_refuses_us_for_good_stops_the_start_at_once()
    {
        var calls = 0;
        await Assert.ThrowsAsync<PostgresException>(() => MigrateOnStart.UntilReachableAsync(() =>
        {
            calls++;
            throw new PostgresException("password authentication failed", "FATAL", "FATAL", PostgresErrorCodes.InvalidPassword);
        }, TimeSpan.FromSeconds(10), Pause, TimeProvider.System, NullLogger.Instance, CancellationToken.None));

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_database_still_away_after_the_wait_stops_the_start()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var calls = 0;
        await Assert.ThrowsAsync<PostgresException>(() => MigrateOnStart.UntilReachableAsync(() =>
        {
            calls++;
            clock.Advance(TimeSpan.FromSeconds(20)); // each try waits out a connect timeout
            throw new PostgresException("the database system is shutting down", "FATAL", "FATAL", PostgresErrorCodes.CannotConnectNow);
        }, MigrateOnStart.Wait, TimeSpan.Zero, clock, NullLogger.Instance, CancellationToken.None));

        Assert.Equal(3, calls); // at 0, 20 and 40 s; at 60 s the wait is over
    }
}
