using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TipBot.Server.Directory;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tests.Infrastructure;

public enum StoreMode
{
    /// <summary>SQLite file, in-process conversation store, Hangfire.InMemory.</summary>
    Embedded,
    /// <summary>PostgreSQL, Redis conversation store, Hangfire on Redis (servers started by scripts/test.sh).</summary>
    Production,
}

/// <summary>
/// The real host (Program) on the stores of <see cref="StoreMode"/>, with Telegram pointed at a
/// local double and a small directory whose officers are on Telegram.
/// </summary>
public sealed class TipBotApp : WebApplicationFactory<Program>
{
    public const string Secret = "test-secret_123";
    public const long HaiChauOfficer = 5000001, HoaCuongOfficer = 5000002, HaiVanOfficer = 5000003, HaiChauBackup = 5000004, ProvinceDesk = 5000009, DrugUnitDesk = 5000010;

    private readonly StoreMode _mode;
    private readonly string _database;
    private readonly string? _redis;
    private readonly string _prefix = "t" + Guid.NewGuid().ToString("N")[..10];
    private readonly string? _sqliteFile;

    private TipBotApp(StoreMode mode, TelegramDouble telegram)
    {
        _mode = mode;
        Telegram = telegram;
        if (mode == StoreMode.Embedded)
        {
            _sqliteFile = Path.Combine(Path.GetTempPath(), $"tipbot-test-{_prefix}.db");
            _database = $"Data Source={_sqliteFile}";
        }
        else
        {
            _database = CreatePostgresDatabase(_prefix);
            _redis = Require("TIPBOT_TEST_REDIS");
        }
    }

    public TelegramDouble Telegram { get; }
    public StoreMode Mode => _mode;
    /// <summary>This app's records database, for a second app started on the same records (a restart).</summary>
    public string DatabaseConnectionString => _database;

    public static async Task<TipBotApp> StartAsync(StoreMode mode, Action<IWebHostBuilder>? configure = null, bool kestrel = false)
    {
        var app = new TipBotApp(mode, await TelegramDouble.StartAsync()) { _configure = configure };
        if (kestrel)
        {
            // A real socket on loopback, for a real browser (the in-memory TestServer has none).
            app.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
            app.StartServer();
            app.KestrelAddress = new Uri(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());
        }
        else _ = app.Server; // starts the host: migrations, Hangfire
        await app.ImportDirectoryAsync();
        return app;
    }

    /// <summary>Where the host listens when started with kestrel: true (http://127.0.0.1:PORT/).</summary>
    public Uri? KestrelAddress { get; private set; }

    private Action<IWebHostBuilder>? _configure;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Database", _database);
        builder.UseSetting("ConnectionStrings:Redis", _redis ?? "");
        builder.UseSetting("Redis:KeyPrefix", _prefix);
        builder.UseSetting("Telegram:BotToken", "123456:TEST-TOKEN");
        builder.UseSetting("Telegram:WebhookSecret", Secret);
        builder.UseSetting("Telegram:ApiBaseUrl", Telegram.BaseUrl);
        builder.UseSetting("Directory:SeedSample", "false");
        builder.UseSetting("Jobs:WorkerCount", "4");
        builder.UseSetting("Jobs:ShutdownTimeout", "00:00:01");
        for (var i = 0; i < 10; i++) builder.UseSetting($"Jobs:RetryDelaysSeconds:{i}", "1");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // EF logs the first look for the migrations table of a new database as an error.
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "None");
        _configure?.Invoke(builder);
    }

    public async Task<HttpResponseMessage> PostUpdateAsync(string json, string? secret = Secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram") { Content = TelegramUpdates.Content(json) };
        if (secret is not null) request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        return await CreateClient().SendAsync(request);
    }

    /// <summary>Posts an update and requires the 200 that tells Telegram not to redeliver.</summary>
    public async Task SendAsync(string json)
    {
        using var response = await PostUpdateAsync(json);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    public async Task<T> WithDbAsync<T>(Func<TipBotDbContext, Task<T>> read)
    {
        await using var scope = Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<TipBotDbContext>());
    }

    public Task<List<TipRecord>> TipsAsync() => WithDbAsync(db => db.Tips.AsNoTracking().ToListAsync());

    /// <summary>
    /// Reads routing's figures for a unit's officers, as a routing does: for OfficerLoads.MaxAge
    /// a new tip there is then written with its assignment (FirstAssignment).
    /// </summary>
    public async Task ReadRoutingFiguresAsync(string unitCode = "20242")
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TipBot.Server.Tips.RoutingSituationLoader>().LoadAsync(unitCode, CancellationToken.None);
    }

    private async Task ImportDirectoryAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<DirectoryImporter>();
        await importer.ImportAsync(new StringReader(TestDirectory.Units), new StringReader(TestDirectory.Officers), CancellationToken.None);
    }

    private static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set: run the suite with scripts/test.sh, which starts Redis and PostgreSQL.");

    private static string CreatePostgresDatabase(string name)
    {
        var admin = Require("TIPBOT_TEST_POSTGRES");
        using (var connection = new NpgsqlConnection(admin))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            create.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, MaxPoolSize = 40 }.ConnectionString;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Telegram.DisposeAsync();
        // Each app has a database and so a pool of its own, whose idle connections would stay open
        // for minutes: the suite's many apps would use up PostgreSQL's max_connections.
        if (_mode == StoreMode.Production)
            NpgsqlConnection.ClearPool(new NpgsqlConnection(TipBot.Server.Persistence.DatabaseConnection.WithPostgresDefaults(_database)));
        if (_sqliteFile is not null)
            foreach (var file in new[] { _sqliteFile, _sqliteFile + "-wal", _sqliteFile + "-shm" }) File.Delete(file);
    }
}

public static class TestDirectory
{
    public const string Units = """
        code,name,type,parent_code,aliases
        48,Thành phố Đà Nẵng,province,,Đà Nẵng
        20242,Phường Hải Châu,ward,48,Hải Châu|Phước Ninh|Quận Hải Châu
        20257,Phường Hoà Cường,ward,48,Hoà Cường|Hòa Cường Bắc|Hải Châu|Quận Hải Châu
        20194,Phường Hải Vân,ward,48,Hải Vân|Hòa Hiệp Bắc|Phường Hòa Hiệp Bắc
        20305,Phường An Khê,ward,48,An Khê
        48-PC04,Phòng Cảnh sát điều tra tội phạm về ma túy,department,48,
        """;

    // An Khê has no officer of its own: its tips go to the city's duty desk.
    public const string Officers = """
        id,full_name,unit_code,role,channel,chat_id,phone
        o-20242,Nguyễn Văn An,20242,officer,telegram,5000001,0905000001
        o-20257,Trần Thị Bình,20257,officer,telegram,5000002,
        o-20194,Lê Văn Cường,20194,officer,telegram,5000003,
        b-20242,Phạm Thị Dung,20242,backup,telegram,5000004,
        desk-48,Trực ban Công an thành phố,48,duty_desk,telegram,5000009,
        desk-pc04,Trực ban Phòng PC04,48-PC04,duty_desk,telegram,5000010,
        """;
}
