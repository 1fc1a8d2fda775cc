using System.Reflection;
using TipBot.FaultTests.Infrastructure;
using TipBot.FaultTests.Load;

namespace TipBot.FaultTests.Chaos;

/// <summary>A period in which failures are expected because a fault was on (plus time to recover).</summary>
public sealed record FaultWindow(DateTime From, DateTime To, string What, string? Node = null)
{
    public bool Covers(DateTime from, DateTime to, string? node) => from <= To && to >= From && (Node is null || Node == node);
}

/// <summary>
/// One fault run: its own PostgreSQL, Redis and Telegram double, TipBot.Server nodes as child
/// processes, residents and officers through the webhook, the profile's faults on schedule, then a
/// drain and the reconciliation. Everything it started is stopped whatever happens.
/// </summary>
public sealed class FaultRun : IAsyncDisposable
{
    public const string Secret = "fault-secret_123";

    /// <summary>The servers' TipBot:HashKey: the reconciliation recomputes each resident's keyed chat hash with it.</summary>
    public const string HashKey = "fault-run-hash-key";

    private readonly FaultProfile _profile;
    private readonly CancellationTokenSource _hardStop;
    private readonly List<FaultWindow> _windows = [];
    private readonly List<Task> _background = [];
    private readonly List<ServerNode> _rotation = [];
    private Task? _officerTask;
    private RedisServer? _redis;
    private PostgresServer? _postgres;
    private TelegramDouble? _telegram;
    private readonly List<ServerNode> _nodes = [];

    private FaultRun(FaultProfile profile, string work, string? logs, Action<string> echo)
    {
        _profile = profile;
        Work = work;
        Logs = logs ?? Path.Combine(work, "logs");
        Directory.CreateDirectory(Logs);
        Events = new EventLog(Path.Combine(Logs, "events.log"), echo);
        _hardStop = new CancellationTokenSource(profile.HardLimit);
    }

    public string Work { get; }
    /// <summary>Where the event log and every server process's output go (TIPBOT_FAULTS_OUT, else inside the work folder).</summary>
    public string Logs { get; }
    public EventLog Events { get; }
    public string Prefix { get; } = "f" + Guid.NewGuid().ToString("N")[..8];
    public string DatabaseName => "tipbot";
    public RedisServer Redis => _redis!;
    public PostgresServer Postgres => _postgres!;
    public TelegramDouble Telegram => _telegram!;
    public IReadOnlyList<ServerNode> Nodes => _nodes;
    public IReadOnlyList<FaultWindow> Windows { get { lock (_windows) return _windows.ToArray(); } }
    public List<Resident> Residents { get; } = [];
    public Webhook? Webhook { get; private set; }
    public OfficerBot? Officers { get; private set; }
    public DateTime LoadStartedAt { get; private set; }
    public TimeSpan DrainTook { get; private set; }
    public List<string> DrainUnsettled { get; } = [];
    public Dictionary<string, int> FaultCounts { get; } = [];

    public static async Task<FaultRun> StartAsync(FaultProfile profile, string? logs, Action<string> echo)
    {
        var work = Directory.CreateTempSubdirectory("tipbot-faults.").FullName;
        // PostgreSQL runs as the postgres user and must reach its folders inside.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(work, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
            UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var run = new FaultRun(profile, work, logs, echo);
        try
        {
            await run.SetUpAsync();
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
        return run;
    }

    /// <summary>The server's build output, copied so that a build running meanwhile cannot change the files under our processes.</summary>
    public static string SnapshotServer(string work)
    {
        var dll = Environment.GetEnvironmentVariable("TIPBOT_SERVER_DLL") is { Length: > 0 } configured
            ? configured
            : typeof(FaultRun).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TipBotServerDll").Value!;
        if (!File.Exists(dll)) throw new FileNotFoundException($"TipBot.Server is not built at {dll} (build the solution, or set TIPBOT_SERVER_DLL)");
        var source = Path.GetDirectoryName(dll)!;
        var target = Path.Combine(work, "server");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.StartsWith("data" + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue; // a developer's SQLite file
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }
        return Path.Combine(target, Path.GetFileName(dll));
    }

    /// <summary>
    /// What every fault run's servers are given whatever their stores: the Telegram double, short
    /// sweep grace and retry delays (so a run settles in minutes), and one-line logs.
    /// </summary>
    public static Dictionary<string, string> ServerEnvironment(string telegramBaseUrl)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Telegram__BotToken"] = "123456:TEST-TOKEN",
            ["Telegram__WebhookSecret"] = Secret,
            ["Telegram__ApiBaseUrl"] = telegramBaseUrl,
            ["Directory__SeedSample"] = "false",
            ["TipBot__HashKey"] = HashKey,
            ["Jobs__SweepGrace"] = "00:00:03",
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning",
            ["Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command"] = "None",
            ["Logging__LogLevel__System.Net.Http.HttpClient"] = "Warning",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
            ["Logging__Console__FormatterOptions__UseUtcTimestamp"] = "true",
        };
        for (var i = 0; i < 10; i++) environment[$"Jobs__RetryDelaysSeconds__{i}"] = "1";
        return environment;
    }

    /// <summary>Imports the test directory (TestDirectory) with the server's own command, into the database its environment names.</summary>
    public static async Task<string> ImportDirectoryAsync(string work, string dll, IDictionary<string, string> environment)
    {
        var units = Path.Combine(work, "units.csv");
        var officers = Path.Combine(work, "officers.csv");
        await File.WriteAllTextAsync(units, TestDirectory.Units + "\n");
        await File.WriteAllTextAsync(officers, TestDirectory.Officers + "\n");
        var imported = await Native.RunAsync("dotnet", [dll, "import-directory", "--units", units, "--officers", officers],
            TimeSpan.FromMinutes(2), environment, Path.GetDirectoryName(dll));
        return imported.Trim();
    }

    private async Task SetUpAsync()
    {
        Events.Add("setup", $"profile {_profile.Name}, seed {_profile.Seed}, work folder {Work}");
        var dll = SnapshotServer(Work);
        _redis = await RedisServer.StartAsync(Work);
        _postgres = await PostgresServer.StartAsync(Work);
        await _postgres.CreateDatabaseAsync(DatabaseName);
        _telegram = await TelegramDouble.StartAsync();
        Events.Add("setup", $"redis :{_redis.Port}, postgres :{_postgres.Port}, telegram double {_telegram.BaseUrl}");

        var environment = ServerEnvironment(_telegram.BaseUrl);
        environment["ConnectionStrings__Database"] = _postgres.ConnectionString(DatabaseName);
        environment["ConnectionStrings__Redis"] = _redis.ConnectionString;
        environment["Redis__KeyPrefix"] = Prefix;
        if (_profile.EffectsLease is { } lease) environment["Conversations__EffectsLease"] = lease.ToString("c");
        Events.Add("setup", await ImportDirectoryAsync(Work, dll, environment));

        var logs = Logs;
        _nodes.Add(new ServerNode("a", dll, environment, _telegram.StartEndpointAsync, logs, Events));
        _nodes.Add(new ServerNode("b", dll, environment, _telegram.StartEndpointAsync, logs, Events));
        await _nodes[0].StartAsync();
        if (!await _nodes[0].WaitReadyAsync(TimeSpan.FromSeconds(90))) throw new TimeoutException("node a did not get ready in 90 s; see its log in " + logs);
        lock (_rotation) _rotation.Add(_nodes[0]);
    }

    private IReadOnlyList<ServerNode> Rotation()
    {
        lock (_rotation) return _rotation.ToArray();
    }

    private void Window(DateTime from, TimeSpan length, string what)
    {
        lock (_windows) _windows.Add(new FaultWindow(from, from + length, what));
    }

    private void Count(string what) => FaultCounts[what] = FaultCounts.GetValueOrDefault(what) + 1;

    /// <summary>Residents and officers through the webhook while the faults happen; returns when both are over.</summary>
    public async Task RunLoadAndFaultsAsync()
    {
        var stop = _hardStop.Token;
        Webhook = new Webhook(Rotation, Secret, _profile.RequestTimeout, _profile.GiveUpAfter);
        Officers = new OfficerBot(Telegram, Webhook);
        _officerTask = Task.Run(() => Officers.RunAsync(stop));
        LoadStartedAt = DateTime.UtcNow;
        Events.Add("load", $"{_profile.Residents} residents over {_profile.Spread.TotalSeconds:0} s; {_profile.Schedule.Count} faults scheduled ({_profile.Kills} kills)");

        var residentTasks = new List<Task>();
        var launcher = Task.Run(async () =>
        {
            for (var i = 0; i < _profile.Residents && !stop.IsCancellationRequested; i++)
            {
                var due = LoadStartedAt + _profile.Spread * i / _profile.Residents;
                if (due > DateTime.UtcNow) await Task.Delay(due - DateTime.UtcNow, stop);
                var resident = new Resident(i, 7_300_000_000 + i);
                lock (Residents) Residents.Add(resident);
                lock (residentTasks) residentTasks.Add(Task.Run(() => resident.RunAsync(Webhook, stop)));
            }
        }, stop);

        var faults = Task.Run(() => RunScheduleAsync(stop), stop);
        await Task.WhenAll(launcher, faults);
        Task[] all;
        lock (residentTasks) all = [.. residentTasks];
        await Task.WhenAll(all);
        var done = Residents.Count(r => r.Completed);
        Events.Add("load", $"residents done: {done} completed, {Residents.Count(r => r.GaveUp)} gave up, after {(DateTime.UtcNow - LoadStartedAt).TotalSeconds:0} s");
    }

    private async Task RunScheduleAsync(CancellationToken stop)
    {
        var random = new Random(_profile.Seed);
        foreach (var step in _profile.Schedule)
        {
            var due = LoadStartedAt + step.At;
            if (due > DateTime.UtcNow) await Task.Delay(due - DateTime.UtcNow, stop);
            var now = DateTime.UtcNow;
            switch (step)
            {
                case FaultStep.Kill kill:
                    var candidates = kill.Node == "any" ? Rotation().Where(n => n.IsReady).ToList() : _nodes.Where(n => n.Name == kill.Node).ToList();
                    if (candidates.Count == 0) candidates = Rotation().ToList();
                    var node = candidates[random.Next(candidates.Count)];
                    Count("kill");
                    if (kill.RestartAfter > TimeSpan.FromSeconds(5))
                    {
                        // Left down for a while: the rest of the schedule goes on meanwhile.
                        _ = await node.KillAsync(null);
                        Events.Add("down", $"node {node.Name} stays down for {kill.RestartAfter.TotalSeconds:0} s");
                        _background.Add(Task.Run(async () =>
                        {
                            await Task.Delay(kill.RestartAfter, CancellationToken.None);
                            await node.StartAsync();
                        }, CancellationToken.None));
                    }
                    else
                    {
                        await node.KillAsync(kill.RestartAfter);
                    }
                    break;
                case FaultStep.RestartRedis redis:
                    Count("redis restart");
                    Events.Add("redis", $"SIGTERM redis-server, down for {redis.DownFor.TotalSeconds:0.0} s");
                    await Redis.RestartAsync(redis.DownFor);
                    Window(now, DateTime.UtcNow - now + TimeSpan.FromSeconds(8), "redis restart");
                    Events.Add("redis", $"redis-server back after {(DateTime.UtcNow - now).TotalSeconds:0.0} s");
                    break;
                case FaultStep.RestartPostgres pg:
                    Count("postgres restart");
                    Events.Add("postgres", $"pg_ctl stop -m {(pg.Immediate ? "immediate" : "fast")}, down for {pg.DownFor.TotalSeconds:0.0} s");
                    await Postgres.RestartAsync(pg.DownFor, pg.Immediate);
                    Window(now, DateTime.UtcNow - now + TimeSpan.FromSeconds(8), "postgres restart");
                    Events.Add("postgres", $"postgres back after {(DateTime.UtcNow - now).TotalSeconds:0.0} s");
                    break;
                case FaultStep.Telegram tg:
                    Count($"telegram {tg.Kind}");
                    Telegram.StartFault(tg.Kind, tg.For, tg.AnswerDelay);
                    // A send in flight when the fault ends may still take the HttpClient timeout, Polly's retries, the outbox.
                    Window(now, tg.For + (tg.AnswerDelay ?? TimeSpan.Zero) + TimeSpan.FromSeconds(10), $"telegram {tg.Kind}");
                    Events.Add("telegram", $"{tg.Kind} for {tg.For.TotalSeconds:0} s{(tg.AnswerDelay is { } d ? $", answers after {d.TotalSeconds:0} s" : "")}");
                    break;
                case FaultStep.AddSecondNode:
                    var b = _nodes[1];
                    await b.StartAsync();
                    _background.Add(Task.Run(async () =>
                    {
                        if (await b.WaitReadyAsync(TimeSpan.FromSeconds(90)))
                        {
                            lock (_rotation) _rotation.Add(b);
                            Events.Add("rotation", "two nodes: updates go to a or b");
                        }
                    }, CancellationToken.None));
                    break;
            }
        }
    }

    /// <summary>Every fault over, every node up: wait until the records, the queue and the double agree that nothing is pending.</summary>
    public async Task DrainAsync(Func<Task<IReadOnlyList<string>>> unsettled, Func<IReadOnlyList<string>, bool> acceptable)
    {
        var started = DateTime.UtcNow;
        Telegram.EndFault();
        foreach (var task in _background.ToArray())
            if (!task.IsCompleted) await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(120)));
        foreach (var node in Rotation()) await node.StartAsync();
        foreach (var node in Rotation()) await node.WaitReadyAsync(TimeSpan.FromSeconds(90));
        Events.Add("drain", "faults over, every node up; waiting for the work to settle");
        var deadline = started + _profile.DrainTimeout;
        IReadOnlyList<string> left = ["not checked yet"];
        while (DateTime.UtcNow < deadline && !_hardStop.IsCancellationRequested)
        {
            try
            {
                left = await unsettled();
            }
            catch (Exception e)
            {
                left = [$"check failed: {e.GetType().Name}: {e.Message}"];
            }
            if (left.Count == 0 || acceptable(left)) break;
            await Task.Delay(1000);
        }
        DrainTook = DateTime.UtcNow - started;
        DrainUnsettled.AddRange(left);
        Events.Add("drain", left.Count == 0 ? $"settled after {DrainTook.TotalSeconds:0} s" : $"after {DrainTook.TotalSeconds:0} s still: {string.Join("; ", left.Take(8))}");
        await _hardStop.CancelAsync(); // officers and residents stop here
        if (_officerTask is not null) await _officerTask;
    }

    /// <summary>Keeps the folder (logs, server output) somewhere that outlives the run.</summary>
    public string? KeepLogs(string? target)
    {
        if (target is null) return null;
        Directory.CreateDirectory(target);
        if (Path.GetFullPath(target) != Path.GetFullPath(Logs))
            foreach (var file in Directory.EnumerateFiles(Logs))
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        foreach (var (source, name) in new[] { (Path.Combine(Work, "redis", "redis.log"), "redis.log"), (Path.Combine(Work, "pg", "server.log"), "postgres.log") })
            if (File.Exists(source)) File.Copy(source, Path.Combine(target, name), overwrite: true);
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        await _hardStop.CancelAsync();
        foreach (var node in _nodes)
        {
            try { await node.DisposeAsync(); }
            catch (Exception) { }
        }
        if (_telegram is not null) await _telegram.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
        try { Directory.Delete(Work, recursive: true); }
        catch (Exception) { }
        _hardStop.Dispose();
    }
}
