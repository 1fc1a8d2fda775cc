namespace TipBot.Server.Persistence;

/// <summary>
/// Applies migrations when the host starts (Database:MigrateOnStart, default true; set it false
/// where migrations run as their own step with the `migrate` command). Registered before every
/// other start-up task, since Data Protection reads its keys from the records database.
/// </summary>
public sealed class MigrateOnStart(DatabaseMigrator migrator, IConfiguration configuration) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        if (configuration.GetValue("Database:MigrateOnStart", true)) await migrator.MigrateAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
