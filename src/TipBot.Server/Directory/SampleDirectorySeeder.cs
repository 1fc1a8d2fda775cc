using Microsoft.EntityFrameworkCore;
using TipBot.Server.Persistence;

namespace TipBot.Server.Directory;

/// <summary>
/// Loads the sample directory (94 Đà Nẵng units, one web officer each, the city duty desk) so a
/// newcomer can play every role at once. Only into an empty directory: never over an imported one.
/// </summary>
public sealed class SampleDirectorySeeder(IServiceScopeFactory scopes, ILogger<SampleDirectorySeeder> log)
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "SampleDirectory");

    public async Task SeedIfEmptyAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TipBotDbContext>();
        if (await db.Units.AnyAsync(ct)) return;
        using var units = new StreamReader(Path.Combine(Folder, "units.csv"));
        using var officers = new StreamReader(Path.Combine(Folder, "officers.csv"));
        var result = await scope.ServiceProvider.GetRequiredService<DirectoryImporter>().ImportAsync(units, officers, ct);
        log.LogInformation("Loaded the sample directory ({Result})", result);
    }
}
