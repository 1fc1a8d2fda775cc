using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TipBot.Core;
using TipBot.Core.Classification;
using TipBot.Core.Directory;
using TipBot.Server.AdminConsole.Accounts;
using TipBot.Server.Directory;
using TipBot.Server.Hosting;
using TipBot.Server.Persistence;

namespace TipBot.Server.Cli;

/// <summary>
/// `TipBot.Server [command] [options]` (INTERFACES.md). With no command it serves. Every command
/// reads the same configuration as the service, so it works on the same database.
/// </summary>
public static class CommandLine
{
    private static readonly string[] Commands = ["serve", "migrate", "import-directory", "classify", "train", "evaluate", "register-webhooks", "create-admin", "erase-resident"];

    public static string CommandOf(string[] args) =>
        args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "serve";

    /// <summary>The arguments ASP.NET Core's configuration reads (--urls, --Key=value), without the command.</summary>
    public static string[] HostArguments(string[] args) => args.Length > 0 && !args[0].StartsWith('-') ? args[1..] : args;

    public static async Task<int> RunAsync(string command, string[] args)
    {
        if (!Commands.Contains(command))
        {
            await Console.Error.WriteLineAsync($"Unknown command '{command}'. Commands: {string.Join(", ", Commands)}.");
            return 2;
        }
        var options = Options(args[1..]);
        // Training reads CSV files and writes the model file: it needs no host, no database.
        if (command == "train") return ModelCommands.Train(options);
        // Only --Key=value arguments are configuration; "--units FILE" belongs to the command.
        var builder = WebApplication.CreateBuilder(args[1..].Where(a => a.Contains('=')).ToArray());
        builder.Logging.ClearProviders();
        builder.AddTipBotCore();
        await using var app = builder.Build();
        var services = app.Services;
        var ct = CancellationToken.None;

        switch (command)
        {
            case "migrate":
                await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
                Console.WriteLine("Database is up to date.");
                return 0;
            case "import-directory":
                return await ImportDirectoryAsync(services, options, ct);
            case "create-admin":
                return await CreateAdminAsync(services, options, ct);
            case "evaluate":
                return await ModelCommands.EvaluateAsync(services, options, ct);
            case "register-webhooks":
                return await RegisterWebhooksAsync(services, options, ct);
            case "erase-resident":
                return await EraseResidentAsync(services, options, ct);
            default:
                return await ClassifyAsync(services, ct);
        }
    }

    private static async Task<int> RegisterWebhooksAsync(IServiceProvider services, Dictionary<string, string> options, CancellationToken ct)
    {
        if (!options.TryGetValue("public-url", out var url) || !Uri.TryCreate(url, UriKind.Absolute, out var publicUrl)
            || (publicUrl.Scheme != Uri.UriSchemeHttps && !publicUrl.IsLoopback))
        {
            await Console.Error.WriteLineAsync("Usage: register-webhooks --public-url https://tipbot.example.vn [--manifests DIR] (platforms call webhooks over HTTPS only)");
            return 2;
        }
        var manifests = options.GetValueOrDefault("manifests") ?? Path.Combine(AppContext.BaseDirectory, "bot-manifests");
        return await services.GetRequiredService<Channels.WebhookRegistration>().RunAsync(publicUrl, manifests, Console.Out, ct);
    }

    private static async Task<int> EraseResidentAsync(IServiceProvider services, Dictionary<string, string> options, CancellationToken ct)
    {
        if (!options.TryGetValue("tip", out var code))
        {
            await Console.Error.WriteLineAsync("Usage: erase-resident --tip CODE  (erases the data of the resident who sent that tip, as /xoadulieu does)");
            return 2;
        }
        await using var scope = services.CreateAsyncScope();
        var erased = await scope.ServiceProvider.GetRequiredService<Privacy.PrivacyHandler>().EraseReporterOfAsync(code, ct);
        if (erased is null)
        {
            await Console.Error.WriteLineAsync($"No tip {code}.");
            return 2;
        }
        Console.WriteLine($"Erased the resident's chat id and phone on {erased} tip(s) and their notice subscriptions; the tips stay.");
        return 0;
    }

    private static async Task<int> ImportDirectoryAsync(IServiceProvider services, Dictionary<string, string> options, CancellationToken ct)
    {
        if (!options.TryGetValue("units", out var unitsPath) || !options.TryGetValue("officers", out var officersPath))
        {
            await Console.Error.WriteLineAsync("Usage: import-directory --units FILE --officers FILE [--rosters FILE]");
            return 2;
        }
        var rostersPath = options.GetValueOrDefault("rosters");
        foreach (var path in new[] { unitsPath, officersPath, rostersPath }.OfType<string>())
            if (!File.Exists(path)) { await Console.Error.WriteLineAsync($"File not found: {path}"); return 2; }
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
        await using var scope = services.CreateAsyncScope();
        try
        {
            using var units = new StreamReader(unitsPath);
            using var officers = new StreamReader(officersPath);
            var result = await scope.ServiceProvider.GetRequiredService<DirectoryImporter>().ImportAsync(units, officers, ct, retireSampleOfficers: true);
            Console.WriteLine($"Directory imported: {result}.");
            if (rostersPath is not null)
            {
                using var rosters = new StreamReader(rostersPath);
                var shifts = await scope.ServiceProvider.GetRequiredService<RosterImporter>().ImportAsync(rosters, ct);
                Console.WriteLine($"Rosters imported: {shifts} weekly shift(s).");
            }
            return 0;
        }
        catch (DirectoryImportException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
    }

    /// <summary>
    /// The first console admin (later ones are made on the console's accounts page). The password
    /// comes from TIPBOT_ADMIN_PASSWORD or the first line of stdin, never from the command line,
    /// where it would land in the shell history and the process list.
    /// </summary>
    private static async Task<int> CreateAdminAsync(IServiceProvider services, Dictionary<string, string> options, CancellationToken ct)
    {
        if (!options.TryGetValue("user", out var user))
        {
            await Console.Error.WriteLineAsync("Usage: create-admin --user NAME  (password from TIPBOT_ADMIN_PASSWORD or stdin)");
            return 2;
        }
        var password = Environment.GetEnvironmentVariable("TIPBOT_ADMIN_PASSWORD") is { Length: > 0 } fromEnv
            ? fromEnv
            : (await Console.In.ReadLineAsync(ct))?.TrimEnd('\r') ?? "";
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
        await using var scope = services.CreateAsyncScope();
        var accounts = ActivatorUtilities.CreateInstance<ConsoleAccounts>(scope.ServiceProvider);
        var error = await accounts.CreateAsync(new NewAccount(user, password, Persistence.ConsoleRole.Admin, [], null), ct);
        if (error is not null)
        {
            await Console.Error.WriteLineAsync(AdminConsole.ConsoleText.Text(error));
            return 2;
        }
        Console.WriteLine($"Admin account {user.Trim().ToLowerInvariant()} created.");
        return 0;
    }

    /// <summary>One tip per line on stdin, one JSON object per line on stdout.</summary>
    private static async Task<int> ClassifyAsync(IServiceProvider services, CancellationToken ct)
    {
        var directory = await DirectoryAsync(services, ct);
        var classifier = services.GetRequiredService<ITipClassifier>();
        var urgency = services.GetRequiredService<UrgencyDetector>();
        var stdout = Console.Out;
        string? line;
        while ((line = await Console.In.ReadLineAsync(ct)) is not null)
        {
            var text = TipBot.Core.Text.VietnameseText.Normalize(line);
            var result = classifier.Classify(text);
            var unit = directory.Places.FindInText(text).Unit;
            await stdout.WriteLineAsync(JsonSerializer.Serialize(new ClassifyLine(
                result.Category, Math.Round(result.Confidence, 3), urgency.IsUrgent(text), unit?.Code, unit?.Name), ClassifyJson.Options));
        }
        return 0;
    }

    /// <summary>The directory in the configured database, or the bundled sample directory when the database has none.</summary>
    internal static async Task<UnitDirectory> DirectoryAsync(IServiceProvider services, CancellationToken ct)
    {
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
        var directory = await services.GetRequiredService<DirectoryCache>().GetAsync(ct);
        return directory.Units.Count == 0 ? LoadSampleDirectory() : directory;
    }

    private static UnitDirectory LoadSampleDirectory()
    {
        using var reader = new StreamReader(Path.Combine(SampleDirectorySeeder.Folder, "units.csv"));
        var units = Csv.Read(reader).Skip(1).Where(f => f.Length == 5).Select(f => new Unit(f[0], f[1],
            Unit.TryParseType(f[2], out var t) ? t : UnitType.Commune, f[3].Length == 0 ? null : f[3],
            f[4].Split('|', StringSplitOptions.RemoveEmptyEntries)));
        return new UnitDirectory(units, []);
    }

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length - 1; i++)
            if (args[i].StartsWith("--", StringComparison.Ordinal) && !args[i].Contains('='))
                options[args[i][2..]] = args[++i];
        return options;
    }
}
