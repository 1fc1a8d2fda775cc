using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TipBot.Server.Persistence;

public static class PersistenceServiceExtensions
{
    public static IServiceCollection AddRecordsDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Database");
        if (string.IsNullOrWhiteSpace(connectionString)) connectionString = DatabaseConnection.DefaultConnectionString;

        // Pooled: every webhook turn, routing step and job takes a context, and setting up a
        // fresh one showed in the profile (docs/benchmarks.md); a pooled one is reset and reused.
        if (DatabaseConnection.ProviderOf(connectionString) == DatabaseProvider.Postgres)
            services.AddDbContextPool<TipBotDbContext, PostgresTipBotDbContext>(o => o.UseNpgsql(DatabaseConnection.WithPostgresDefaults(connectionString)).LogFailuresToCaller());
        else
        {
            EnsureSqliteFolder(connectionString);
            services.AddDbContextPool<TipBotDbContext, SqliteTipBotDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(new SqliteBusyTimeout(), new SqliteWriteGate()).LogFailuresToCaller());
        }
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DatabaseMigrator>();
        // Before Data Protection's own start-up task, which reads its key ring from the database.
        services.AddHostedService<MigrateOnStart>();
        var keys = services.AddDataProtection().SetApplicationName("TipBot").PersistKeysToDbContext<TipBotDbContext>();
        // The key ring decrypts every stored chat id and phone: with a certificate configured it is
        // itself encrypted at rest, so a database dump alone gives nothing away.
        if (configuration["DataProtection:CertificatePath"] is { Length: > 0 } certificatePath)
        {
            var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
                certificatePath, configuration["DataProtection:CertificatePassword"]);
            keys.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }
        services.AddSingleton<PersonalData>();
        return services;
    }

    /// <summary>
    /// EF Core logs each failure it raises at Error, stack trace and all, before its caller sees the
    /// exception: a unique key met on purpose (a replayed submission, a routing race) and every
    /// query while the database restarts. The caller handles it (503 and one Warning, a retried
    /// job) or reports it once itself, so EF's own copies go to Debug.
    /// </summary>
    private static DbContextOptionsBuilder LogFailuresToCaller(this DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Log(
            (RelationalEventId.CommandError, LogLevel.Debug),
            (RelationalEventId.ConnectionError, LogLevel.Debug),
            (RelationalEventId.TransactionError, LogLevel.Debug),
            (CoreEventId.QueryIterationFailed, LogLevel.Debug),
            (CoreEventId.SaveChangesFailed, LogLevel.Debug)));

    private static void EnsureSqliteFolder(string connectionString)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder)) System.IO.Directory.CreateDirectory(folder);
    }
}
