using Hangfire;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TipBot.Server.Directory;
using TipBot.Server.Jobs;
using TipBot.Server.Notices;
using TipBot.Server.Persistence;
using TipBot.Server.Privacy;

namespace TipBot.Server.Hosting;

/// <summary>
/// Before the server takes requests (after <see cref="MigrateOnStart"/>): load the sample
/// directory into an empty database, schedule the recurring sweep and run it once, so whatever a
/// previous process left pending is picked up now, and resume broadcasts left sending at once
/// (<see cref="BroadcastResume"/>: the sweep waits for its grace).
/// </summary>
public sealed class StartupTasks(
    SampleDirectorySeeder seeder,
    IServiceScopeFactory scopes,
    IRecurringJobManager recurring,
    IBackgroundJobClient jobs,
    IConfiguration configuration,
    IServer server,
    IHostApplicationLifetime lifetime,
    IGlobalConfiguration hangfireConfigured,
    Microsoft.Extensions.Options.IOptions<JobsOptions> jobOptions,
    Microsoft.Extensions.Options.IOptions<TipBotOptions> hashKey,
    ILogger<StartupTasks> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        _ = hangfireConfigured;
        TipBotServiceExtensions.UseRetryDelays(jobOptions.Value.RetryDelays);
        if (configuration.GetValue("Directory:SeedSample", true)) await seeder.SeedIfEmptyAsync(ct);
        if (!string.IsNullOrEmpty(configuration.GetConnectionString("Redis"))
            && hashKey.Value.HashKey == new TipBotOptions().HashKey)
            log.LogWarning("TipBot:HashKey is the development default: set a long random value in production (it keys the hashes that stand for residents' chat ids)");
        await ResumeBroadcastsAsync(ct);
        // Registering recurring jobs takes a Hangfire lock that a node killed at start can hold for
        // 30 s, and Redis may be restarting just now: do both in the background, retrying, so no
        // node waits on them before serving nor dies of them (webhooks answer 503 meanwhile).
        _ = Task.Run(() => ScheduleSweepsAsync(lifetime.ApplicationStopping));
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
            if (addresses is { Count: > 0 })
                log.LogInformation("Web chat (resident, officer and admin views): {Url}", addresses.First().TrimEnd('/') + "/");
        });
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    private async Task ResumeBroadcastsAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<BroadcastResume>().RunAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Resuming broadcasts at start failed ({Error}); the sweep picks them up", e.GetType().Name);
        }
    }

    private async Task ScheduleSweepsAsync(CancellationToken stopping)
    {
        var sweptAtStart = false;
        for (var attempt = 1; !stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                if (!sweptAtStart) jobs.Enqueue<SweepJob>(j => j.RunAsync(CancellationToken.None));
                sweptAtStart = true;
                recurring.AddOrUpdate<SweepJob>(SweepJob.RecurringId, j => j.RunAsync(CancellationToken.None), Cron.Minutely());
                recurring.AddOrUpdate<PrivacyHandler>(PrivacyHandler.RecurringId, j => j.ApplyRetentionAsync(CancellationToken.None), Cron.Daily(3));
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Scheduling the sweeps failed (attempt {Attempt}): {Error}", attempt, e.GetType().Name);
                try { await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 2 * attempt)), stopping); }
                catch (OperationCanceledException) { return; }
            }
        }
    }
}

public static class StartupTasksExtensions
{
    public static WebApplicationBuilder AddTipBotStartup(this WebApplicationBuilder builder)
    {
        builder.Services.AddHostedService<StartupTasks>();
        return builder;
    }
}
