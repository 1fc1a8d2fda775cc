using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using TipBot.Server.Cli;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Console;

/// <summary>The first-run command that makes the first console admin.</summary>
[Collection("integration")]
public sealed class CreateAdminCommandTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"tipbot-create-admin-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task Create_admin_takes_the_password_from_the_environment_and_stores_only_its_hash()
    {
        var database = $"--ConnectionStrings:Database=Data Source={_file}";
        Environment.SetEnvironmentVariable("TIPBOT_ADMIN_PASSWORD", "first-admin-password");
        try
        {
            Assert.Equal(0, await CommandLine.RunAsync("create-admin", ["create-admin", "--user", "Chief", database]));
            Assert.Equal(2, await CommandLine.RunAsync("create-admin", ["create-admin", "--user", "chief", database])); // taken
        }
        finally
        {
            Environment.SetEnvironmentVariable("TIPBOT_ADMIN_PASSWORD", null);
        }

        await using var connection = new SqliteConnection($"Data Source={_file}");
        await connection.OpenAsync();
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT \"UserName\", \"Role\", \"PasswordHash\" FROM console_accounts";
        await using var row = await query.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.Equal(("chief", ConsoleRole.Admin), (row.GetString(0), row.GetString(1)));
        Assert.NotEqual(PasswordVerificationResult.Failed,
            new PasswordHasher<ConsoleAccountRecord>().VerifyHashedPassword(null!, row.GetString(2), "first-admin-password"));
        Assert.False(await row.ReadAsync());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _file, _file + "-wal", _file + "-shm" }) File.Delete(file);
    }
}
