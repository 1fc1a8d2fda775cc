namespace TipBot.Server.Persistence;

/// <summary>
/// Applies migrations when the host starts (Database:MigrateOnStart, default true; set it false
/// where migrations run as their own step with the `migrate` command). Registered before every
/// other start-up task, since Data Protection reads its keys from the records database. A
/// database that cannot be reached yet (PostgreSQL restarting beside us) is waited for, up to
/// <see cref="Wait"/>, rather than dying and being restarted by the service manager with back-off.
/// </summary>
public sealed class MigrateOnStart(DatabaseMigrator migrator, IConfiguration configuration, TimeProvider clock, ILogger<MigrateOnStart> log) : IHostedService
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken ct)
    {
        if (configuration.GetValue("Database:MigrateOnStart", true))
            await UntilReachableAsync(() => migrator.MigrateAsync(ct), Wait, TimeSpan.FromSeconds(2), clock, log, ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>Runs <paramref name="work"/> again while the database cannot be reached, for at most <paramref name="wait"/>.</summary>
    public static async Task UntilReachableAsync(Func<Task> work, TimeSpan wait, TimeSpan pause, TimeProvider clock, ILogger log, CancellationToken ct)
    {
        var until = clock.GetUtcNow() + wait;
        while (true)
        {
            try
            {
                await work();
                return;
            }
            catch (Exception e) when (DbErrors.IsNotUpYet(e) && clock.GetUtcNow() + pause < until)
            {
                log.LogWarning("The records database cannot be reached yet ({Error}); trying again", e.GetBaseException().Message);
                await Task.Delay(pause, clock, ct);
            }
        }
    }
}
