namespace TipBot.Server.Persistence;

public enum DatabaseProvider { Sqlite, Postgres }

public static class DatabaseConnection
{
    public const string DefaultConnectionString = "Data Source=data/tipbot.db";

    /// <summary>INTERFACES.md: "Data Source=..." is SQLite, "Host=..." is PostgreSQL.</summary>
    public static DatabaseProvider ProviderOf(string connectionString) =>
        connectionString.TrimStart().StartsWith("Host=", StringComparison.OrdinalIgnoreCase)
            ? DatabaseProvider.Postgres
            : DatabaseProvider.Sqlite;
}
