using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Hosting;

/// <summary>An endpoint other than a webhook meeting the database mid-restart says "try again shortly", not 500.</summary>
[Collection("integration")]
public abstract class StoreOutageTests(StoreMode mode) : IAsyncLifetime
{
    private TipBotApp? _app;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_request_that_meets_the_database_restarting_gets_503_with_retry_after_and_the_next_one_is_served()
    {
        var drop = new DatabaseDrop("notice_images");
        var logs = new CapturedLogs();
        _app = await TipBotApp.StartAsync(mode, b =>
        {
            b.ConfigureLogging(l => l.AddProvider(logs));
            b.ConfigureTestServices(services => drop.Install(services, mode));
        });
        var client = _app.CreateClient();
        var image = $"/notice-images/{Guid.NewGuid()}";

        using (var response = await client.GetAsync(image))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(1, drop.Dropped);
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning TipBot.Server.Hosting.StoreOutageAnswers: GET /notice-images/", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase));
        // One line for the outage, ours: EF Core's own copy of each failure (Error, stack trace and all) stays below the log's level.
        Assert.DoesNotContain(logs.Lines, l => l.StartsWith("Error Microsoft.EntityFrameworkCore", StringComparison.Ordinal));

        using var again = await client.GetAsync(image);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode); // the database is back: no such image
    }

    [Fact]
    public async Task A_signed_in_console_page_that_meets_the_database_restarting_gets_503_and_the_next_one_is_served()
    {
        // Each signed-in request reads its account again, so the sign-in must run inside the outage
        // answer. A sign-in added only on a branch (UseWhen) once made ASP.NET Core add its own at the
        // pipeline's head, outside it (docs/benchmarks.md, twenty-first session).
        var drop = new DatabaseDrop("console_accounts", armed: false);
        _app = await TipBotApp.StartAsync(mode, b => b.ConfigureTestServices(services => drop.Install(services, mode)));
        await Console.ConsoleClient.CreateAccountAsync(_app, "viewer", ConsoleRole.Viewer);
        var viewer = await Console.ConsoleClient.SignedInAsync(_app, "viewer");
        drop.Arm();

        using (var response = await viewer.Http.GetAsync("/console/tips"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        }
        Assert.Equal(1, drop.Dropped);

        using var again = await viewer.Http.GetAsync("/console/tips");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }
}

public sealed class StoreOutageOnEmbeddedStores() : StoreOutageTests(StoreMode.Embedded);

public sealed class StoreOutageOnRedisAndPostgres() : StoreOutageTests(StoreMode.Production);

/// <summary>Where "a store is away" ends and "our code or our data is wrong" begins.</summary>
public class StoreOutageClassificationTests
{
    private static readonly Npgsql.NpgsqlException Refused = new("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111));

    [Fact]
    public void Outages_are_recognised_bare_and_inside_the_wrappers_ef_core_and_hangfire_put_around_them()
    {
        Assert.True(TipBot.Server.Hosting.StoreOutage.Caused(Refused));
        Assert.True(TipBot.Server.Hosting.StoreOutage.Caused(new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", Refused)));
        Assert.True(TipBot.Server.Hosting.StoreOutage.Caused(new Microsoft.EntityFrameworkCore.DbUpdateException("saving", new Npgsql.NpgsqlException("Exception while reading from stream", new EndOfStreamException()))));
        Assert.True(TipBot.Server.Hosting.StoreOutage.Caused(new Hangfire.BackgroundJobClientException("Background job creation failed.",
            new StackExchange.Redis.RedisConnectionException(StackExchange.Redis.ConnectionFailureType.UnableToConnect, StackExchange.Redis.CommandFlags.None, "No redis server available", null, StackExchange.Redis.CommandStatus.Unknown))));
    }

    [Fact]
    public void What_the_database_refuses_on_purpose_and_our_own_bugs_stay_errors()
    {
        var duplicate = new Npgsql.PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", Npgsql.PostgresErrorCodes.UniqueViolation);
        Assert.False(TipBot.Server.Hosting.StoreOutage.Caused(new Microsoft.EntityFrameworkCore.DbUpdateException("saving", duplicate)));
        Assert.False(TipBot.Server.Hosting.StoreOutage.Caused(new InvalidOperationException("Sequence contains no elements")));
        Assert.False(TipBot.Server.Hosting.StoreOutage.Caused(new NullReferenceException()));
    }
}
