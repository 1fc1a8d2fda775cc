using Microsoft.AspNetCore.TestHost;
using TipBot.Server.Jobs;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Hosting;

/// <summary>A node that starts while Redis is restarting serves, and sweeps once the queue answers again.</summary>
[Collection("integration")]
public abstract class StartupTests(StoreMode mode) : IAsyncLifetime
{
    private TipBotApp? _app;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_node_whose_job_queue_refuses_at_start_starts_anyway_and_sweeps_when_it_answers()
    {
        RefusingJobClient? jobs = null;
        _app = await TipBotApp.StartAsync(mode, b => b.ConfigureTestServices(services => RefusingJobClient.Install(services, refusals: 1, c => jobs = c)));

        var resident = ResidentScript.NewResident();
        await _app.SendAsync(TelegramUpdates.Text(resident, "/start")); // serving
        Assert.NotEmpty(_app.Telegram.SentTo(resident));
        await Eventually.Get(() => jobs!.Enqueued(typeof(SweepJob)), n => n >= 1, "the start-up sweep, enqueued after the refusal");
        Assert.Equal(1, jobs!.Refused);
    }
}

public sealed class StartupOnEmbeddedStores() : StartupTests(StoreMode.Embedded);

public sealed class StartupOnRedisAndPostgres() : StartupTests(StoreMode.Production);
