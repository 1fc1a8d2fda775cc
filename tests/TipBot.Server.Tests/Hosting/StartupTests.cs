using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
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

    /// <summary>Hangfire's client as it behaves while Redis is away: creating a job throws.</summary>
    private sealed class RefusingJobClient(IBackgroundJobClient real, int refusals) : IBackgroundJobClient
    {
        private readonly List<Type> _created = [];

        public int Refused { get; private set; }

        public int Enqueued(Type job)
        {
            lock (_created) return _created.Count(t => t == job);
        }

        public string Create(Job job, IState state)
        {
            lock (_created)
            {
                if (Refused < refusals)
                {
                    Refused++;
                    throw new BackgroundJobClientException("Background job creation failed.", new InvalidOperationException("No redis server available"));
                }
            }
            var id = real.Create(job, state);
            lock (_created) _created.Add(job.Type);
            return id;
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => real.ChangeState(jobId, state, expectedState);

        public static void Install(IServiceCollection services, int refusals, Action<RefusingJobClient> installed)
        {
            var registered = services.Last(d => d.ServiceType == typeof(IBackgroundJobClient));
            services.RemoveAll<IBackgroundJobClient>();
            services.AddSingleton<IBackgroundJobClient>(sp =>
            {
                var real = registered.ImplementationFactory is { } factory ? (IBackgroundJobClient)factory(sp)
                    : registered.ImplementationInstance as IBackgroundJobClient ?? (IBackgroundJobClient)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!);
                var client = new RefusingJobClient(real, refusals);
                installed(client);
                return client;
            });
        }
    }
}

public sealed class StartupOnEmbeddedStores() : StartupTests(StoreMode.Embedded);

public sealed class StartupOnRedisAndPostgres() : StartupTests(StoreMode.Production);
