using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
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
            services.AddDbContextPool<TipBotDbContext, PostgresTipBotDbContext>(o => o.UseNpgsql(DatabaseConnection.WithPostgresDefaults(connectionString)));
        else
        {
            EnsureSqliteFolder(connectionString);
            services.AddDbContextPool<TipBotDbContext, SqliteTipBotDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(new SqliteBusyTimeout()));
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

    private static void EnsureSqliteFolder(string connectionString)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder)) System.IO.Directory.CreateDirectory(folder);
    }
}
