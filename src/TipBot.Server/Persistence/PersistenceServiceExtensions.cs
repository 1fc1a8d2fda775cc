using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace TipBot.Server.Persistence;

public static class PersistenceServiceExtensions
{
    public static IServiceCollection AddRecordsDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Database");
        if (string.IsNullOrWhiteSpace(connectionString)) connectionString = DatabaseConnection.DefaultConnectionString;

        if (DatabaseConnection.ProviderOf(connectionString) == DatabaseProvider.Postgres)
            services.AddDbContext<TipBotDbContext, PostgresTipBotDbContext>(o => o.UseNpgsql(connectionString));
        else
        {
            EnsureSqliteFolder(connectionString);
            services.AddDbContext<TipBotDbContext, SqliteTipBotDbContext>(o => o.UseSqlite(connectionString));
        }
        services.AddSingleton<DatabaseMigrator>();
        // Before Data Protection's own start-up task, which reads its key ring from the database.
        services.AddHostedService<MigrateOnStart>();
        services.AddDataProtection().SetApplicationName("TipBot").PersistKeysToDbContext<TipBotDbContext>();
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
