using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace TipBot.Server.Persistence;

// Used only by `dotnet ef migrations add`: each provider's migrations are generated from its own context.

public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteTipBotDbContext>
{
    public SqliteTipBotDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteTipBotDbContext>().UseSqlite("Data Source=design.db").Options);
}

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresTipBotDbContext>
{
    public PostgresTipBotDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresTipBotDbContext>().UseNpgsql("Host=localhost;Database=tipbot_design").Options);
}
