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

    // Measured (docs/benchmarks.md, fourth session): PostgreSQL parsed and planned each of a tip's
    // twenty-odd statements afresh and reset every pooled connection's settings before reuse, at
    // several ms of its CPU per tip. Prepared statements are kept per connection across pool use.
    private static readonly (string Keyword, string Value)[] PostgresDefaults =
    [
        ("Max Auto Prepare", "64"),
        ("Auto Prepare Min Usages", "2"),
        // We never change session state (no SET, temporary tables or session locks left held).
        ("No Reset On Close", "true"),
    ];

    /// <summary>The operator's PostgreSQL connection string with our defaults for what it does not say.</summary>
    public static string WithPostgresDefaults(string connectionString)
    {
        var builder = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var said = builder.Keys.Cast<string>().Select(Normalized).ToHashSet(StringComparer.Ordinal);
        foreach (var (keyword, value) in PostgresDefaults)
            if (!said.Contains(Normalized(keyword))) builder[keyword] = value;
        return builder.ConnectionString;
    }

    private static string Normalized(string keyword) => keyword.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
}
