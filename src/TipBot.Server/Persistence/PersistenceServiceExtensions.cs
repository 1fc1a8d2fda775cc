using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
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
        var keys = services.AddTipBotDataProtection().PersistKeysToDbContext<TipBotDbContext>();
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
    /// Data Protection as every node sets it up, before it is told where the key ring lives. New keys
    /// are AES-256-GCM rather than the default AES-256-CBC followed by HMAC-SHA256: encryption and its
    /// check in one pass. The conversation state is protected and opened on every turn, and GCM takes
    /// 40 % less time and half the allocation for it (docs/benchmarks.md, twenty-first session). A key
    /// names its algorithm, so payloads under the keys already in the ring stay readable, and nodes
    /// of earlier versions read the new keys' payloads too.
    /// </summary>
    public static IDataProtectionBuilder AddTipBotDataProtection(this IServiceCollection services) =>
        services.AddDataProtection().SetApplicationName("TipBot").UseCryptographicAlgorithms(
            new AuthenticatedEncryptorConfiguration { EncryptionAlgorithm = EncryptionAlgorithm.AES_256_GCM });

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
