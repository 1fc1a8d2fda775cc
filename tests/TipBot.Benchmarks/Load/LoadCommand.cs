using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;
using StackExchange.Redis;
using TipBot.Core;
using TipBot.Server.Conversations;

namespace TipBot.Benchmarks.Load;

/// <summary>
/// `load`: starts a Telegram double and TipBot.Server (after `import-directory` of the sample
/// units with one Telegram officer each), drives residents through whole tips, verifies every
/// reply and every officer alert, and reports throughput, latencies, CPU and memory. Loopback
/// only; every loop is bounded by time and count; everything it starts it stops.
/// </summary>
public static class LoadCommand
{
    public const string Secret = "load-secret_123";
    private const string HashKey = "load-harness-hash-key";

    /// <summary>The server's settings in every mode of the harness; a mode adds its own.</summary>
    public static Dictionary<string, string> ServerEnvironment(string database, string? redis, string prefix, string telegramBaseUrl, bool seedSample) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ConnectionStrings__Database"] = database,
        ["ConnectionStrings__Redis"] = redis ?? "",
        ["Redis__KeyPrefix"] = prefix,
        ["Telegram__BotToken"] = "123456:LOAD-TOKEN",
        ["Telegram__WebhookSecret"] = Secret,
        ["Telegram__ApiBaseUrl"] = telegramBaseUrl,
        ["Directory__SeedSample"] = seedSample ? "true" : "false",
        ["TipBot__HashKey"] = HashKey,
        ["Jobs__ShutdownTimeout"] = "00:00:03",
        // Flood control (30 messages a minute per chat) stays on, so its cost is measured, but with a
        // limit a simulated resident cannot reach: each stands for many real residents' tips.
        ["Conversations__MessagesPerMinute"] = "1000000",
        // As the service's systemd unit (docs/operations.md): measured as operators run it.
        ["MALLOC_ARENA_MAX"] = "2",
    };
    private const long FirstOfficerChat = 9_100_000_000;
    private const long ProvinceDeskChat = 9_099_999_999;

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        LoadOptions o;
        try { o = LoadOptions.Parse(args); }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(LoadOptions.Usage);
            return 2;
        }
        var serverDll = Path.GetFullPath(o.Server ?? Path.Combine(BenchData.RepoRoot, "src", "TipBot.Server", "bin", "Release", "net10.0", "TipBot.Server.dll"));
        if (!File.Exists(serverDll))
        {
            Console.Error.WriteLine($"{serverDll} not found. Build it first: dotnet publish src/TipBot.Server -c Release -o /tmp/tipbot-server (then --server /tmp/tipbot-server/TipBot.Server.dll)");
            return 2;
        }
        ThreadPool.SetMinThreads(Math.Max(16, Environment.ProcessorCount * 4), Math.Max(16, Environment.ProcessorCount * 4));
        if (o.Broadcast) return await BroadcastLoad.RunAsync(o, serverDll);

        var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + Random.Shared.Next(100, 999);
        var workDir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "tipbot-load-" + stamp)).FullName;
        var prefix = "load" + stamp;
        var (unitsCsv, officersCsv, officerOfUnit) = WriteDirectory(workDir);
        string? pgDatabase = null;
        var ok = false;
        try
        {
            var database = $"Data Source={Path.Combine(workDir, "tipbot.db")}";
            if (o.Postgres is not null)
            {
                pgDatabase = "tipbot_load_" + stamp;
                database = await CreatePostgresDatabaseAsync(o.Postgres, pgDatabase);
            }
            await using var api = await TelegramApiDouble.StartAsync(officerOfUnit.Values.Append(ProvinceDeskChat).ToHashSet());
            var env = ServerEnvironment(database, o.Redis, prefix, api.BaseUrl, seedSample: false);
            if (o.ServerLogLevel is { } level) env["Logging__LogLevel__Default"] = level;
            foreach (var setting in o.ServerEnv)
            {
                var eq = setting.IndexOf('=');
                if (eq <= 0) throw new ArgumentException($"--env {setting}: expected Key=value");
                env[setting[..eq]] = setting[(eq + 1)..];
            }

            Console.WriteLine($"# TipBot load: {(o.RateMode ? $"{o.Rate} tips/s" : $"{o.Residents} residents")}, {o.Seconds} s (+{o.Warmup} s warm-up), {o.Stores}, {o.Places}");
            Console.WriteLine($"server {serverDll}, work dir {workDir}, Telegram double {api.BaseUrl}");
            Console.WriteLine(await TipBotProcess.RunCommandAsync(serverDll, env, "import-directory", "--units", unitsCsv, "--officers", officersCsv));

            var result = NewResult(o, serverDll);
            await using (var server = await TipBotProcess.StartAsync(serverDll, env, Path.Combine(workDir, "server.log")))
            {
                result.Server.StartupToReadyMs = Math.Round(server.StartupToReady.TotalMilliseconds, 1);
                Console.WriteLine($"server pid {server.Pid} ready in {result.Server.StartupToReadyMs:0} ms at {server.Url}");
                using var http = new HttpClient(new SocketsHttpHandler
                {
                    UseProxy = false,
                    MaxConnectionsPerServer = 4096,
                    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                    ConnectTimeout = TimeSpan.FromSeconds(5),
                }) { Timeout = Timeout.InfiniteTimeSpan };
                var driver = new ResidentDriver(http, server.Url + "/webhooks/telegram", Secret, api, o.StepTimeoutMs);

                // The first tip of a fresh process alone, with time to spare: JIT, EF model, first connections.
                var cold = new WorkerLog();
                var first = await new ResidentDriver(http, server.Url + "/webhooks/telegram", Secret, api, 60_000)
                    .RunTipAsync(ResidentDriver.NewResident(), ResidentDriver.Templates[0], cold);
                result.ColdTipMs = Math.Round(Percentiles.Ms(first.FinishedAt - first.StartedAt), 1);
                result.ColdTurnsMs = cold.Turns.Select(t => Math.Round(Percentiles.Ms(t.ReplyTicks), 1)).ToList();
                if (first.Error is not null) result.Errors["cold_tip_" + first.Error] = 1;
                Console.WriteLine($"first tip (cold): {result.ColdTipMs} ms, turns {string.Join(" / ", result.ColdTurnsMs)} ms");

                result.LoadAverageBefore = ProcStats.LoadAverage();
                var (logs, t0, t1) = await DriveAsync(o, driver, server, result);
                logs.Add(cold);
                result.LoadAverageAfter = ProcStats.LoadAverage();
                await VerifyAlertsAsync(o, api, logs, officerOfUnit, t0, t1, result);
                result.Server.VmHwmMb = Math.Round(ProcStats.StatusKb(server.Pid, "VmHWM") / 1024.0, 1);
                result.Server.RssAtEndMb = Math.Round(ProcStats.StatusKb(server.Pid, "VmRSS") / 1024.0, 1);

                if (o.Redis is not null && o.Hold > 0)
                    result.Redis = await MeasureRedisAsync(o, driver, prefix);

                result.Server.FailLogLines = server.FailLines;
                result.Telegram = new TelegramCalls
                {
                    SendMessage = api.SendMessageCalls,
                    AnswerCallbackQuery = api.AnswerCallbackCalls,
                    ButtonTurns = logs.SelectMany(l => l.Turns).Count(t => t.Step != "tip"),
                    Other = api.OtherCalls,
                    OfficerMessagesOtherThanAlerts = api.OfficerMessagesOtherThanAlerts,
                };
            }
            result.Verified = result.Errors.Count == 0 && result.ConversationsNotStarted == 0 && result.Alerts.Missing == 0
                && result.Alerts.Duplicated == 0 && result.Alerts.WrongOfficer == 0 && result.Alerts.ForUnknownCodes == 0
                && result.Server.FailLogLines == 0 && (result.Redis?.HoldFailures ?? 0) == 0;

            Print(result);
            var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
            if (o.Out is not null) await File.WriteAllTextAsync(o.Out, json);
            if (o.Redis is not null && !o.Keep) await DeleteRedisKeysAsync(o.Redis, prefix);
            ok = result.Verified;
            return ok ? 0 : 1;
        }
        finally
        {
            if (pgDatabase is not null && !o.Keep) await DropPostgresDatabaseAsync(o.Postgres!, pgDatabase);
            if (ok && !o.Keep) Directory.Delete(workDir, recursive: true);
            else Console.WriteLine($"kept {workDir} (server.log, directory files{(pgDatabase is null || ok ? "" : ", database " + pgDatabase)})");
        }
    }

    private static LoadResult NewResult(LoadOptions o, string serverDll) => new()
    {
        Label = o.Label ?? "",
        Mode = o.RateMode ? "open loop (--rate)" : "closed loop (--residents)",
        Stores = o.Stores,
        Places = o.Places,
        Residents = o.Residents,
        Rate = o.Rate,
        Seconds = o.Seconds,
        Warmup = o.Warmup,
        Machine = Machine(),
        Server = new ServerFigures
        {
            Gc = GcSettings(serverDll),
            LogLevel = o.ServerLogLevel ?? "as shipped (appsettings.json: Information, framework Warning)",
            ExtraEnvironment = o.ServerEnv.ToList(),
        },
    };

    /// <summary>Runs the residents (closed loop) or the tip schedule (open loop) and measures the window after the warm-up.</summary>
    private static async Task<(List<WorkerLog> Logs, long T0, long T1)> DriveAsync(LoadOptions o, ResidentDriver driver, TipBotProcess server, LoadResult result)
    {
        var start = Stopwatch.GetTimestamp();
        var t0 = start + Stopwatch.Frequency * o.Warmup;
        var t1 = t0 + Stopwatch.Frequency * o.Seconds;
        var sampler = SampleAsync(server.Pid, server.Url, t0, t1, result);
        var logs = new List<WorkerLog>();
        var notStarted = 0;

        if (!o.RateMode)
        {
            var workers = Enumerable.Range(0, o.Residents).Select(i =>
            {
                var log = new WorkerLog();
                logs.Add(log);
                return Task.Run(async () =>
                {
                    var resident = ResidentDriver.NewResident();
                    for (var n = i; Stopwatch.GetTimestamp() < t1; n++)
                    {
                        var tip = o.TipFor(n);
                        var conversation = await driver.RunTipAsync(resident, tip, log);
                        if (conversation.Error is null) continue;
                        resident = ResidentDriver.NewResident(); // a failed conversation leaves its chat mid-dialog
                        await Task.Delay(50);
                    }
                });
            }).ToList();
            await Task.WhenAll(workers);
        }
        else
        {
            var interval = Stopwatch.Frequency / o.Rate!.Value;
            var total = (int)Math.Round(o.Rate.Value * (o.Warmup + o.Seconds));
            var running = new List<Task>(total);
            var inFlight = 0;
            for (var i = 0; i < total; i++)
            {
                var due = start + (long)(i * interval);
                var wait = due - Stopwatch.GetTimestamp();
                if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                if (Volatile.Read(ref inFlight) >= o.MaxInFlight) { notStarted++; continue; }
                var log = new WorkerLog();
                logs.Add(log);
                var tip = o.TipFor(i);
                Interlocked.Increment(ref inFlight);
                running.Add(Task.Run(async () =>
                {
                    try { await driver.RunTipAsync(ResidentDriver.NewResident(), tip, log); }
                    finally { Interlocked.Decrement(ref inFlight); }
                }));
            }
            await Task.WhenAll(running);
        }
        await sampler;

        var conversations = logs.SelectMany(l => l.Conversations).ToList();
        var turns = logs.SelectMany(l => l.Turns).ToList();
        var windowSeconds = (double)(t1 - t0) / Stopwatch.Frequency;
        bool InWindow(long at) => at >= t0 && at < t1;

        result.ConversationsStarted = conversations.Count;
        result.ConversationsCompleted = conversations.Count(c => c.Completed);
        result.ConversationsFailed = conversations.Count(c => c.Error is not null);
        result.ConversationsNotStarted = notStarted;
        result.TurnsPerConversation = Math.Round(conversations.Where(c => c.Completed).Select(c => c.Turns).DefaultIfEmpty(0).Average(), 2);
        result.TurnsInWindow = turns.Count(t => InWindow(t.CompletedAt));
        result.TipsInWindow = conversations.Count(c => c.Completed && InWindow(c.FinishedAt));
        result.TurnsPerSecond = Math.Round(result.TurnsInWindow / windowSeconds, 1);
        result.TipsPerSecond = Math.Round(result.TipsInWindow / windowSeconds, 1);
        var measured = turns.Where(t => InWindow(t.StartedAt)).ToList();
        result.ReplyLatencyMs = Percentiles.OfTicks(measured.Select(t => t.ReplyTicks));
        result.AckLatencyMs = Percentiles.OfTicks(measured.Select(t => t.AckTicks));
        result.ReplyLatencyByStepMs = measured.GroupBy(t => t.Step).OrderBy(g => StepOrder(g.Key))
            .ToDictionary(g => g.Key, g => Percentiles.OfTicks(g.Select(t => t.ReplyTicks)));
        foreach (var g in conversations.Where(c => c.Error is not null).GroupBy(c => c.Error!)) result.Errors[g.Key] = g.Count();
        if (notStarted > 0) result.Errors["not_started_max_in_flight"] = notStarted;
        result.ErrorExamples = logs.SelectMany(l => l.ErrorExamples).Take(5).ToList();
        return (logs, t0, t1);
    }

    private static int StepOrder(string step) => Array.IndexOf(["tip", "category", "place", "time", "anonymous", "phone", "send"], step);

    private static async Task SampleAsync(int pid, string serverUrl, long t0, long t1, LoadResult result)
    {
        static Task Until(long at) => Task.Delay(TimeSpan.FromSeconds(Math.Max(0, (double)(at - Stopwatch.GetTimestamp()) / Stopwatch.Frequency)));
        await Until(t0);
        var metrics0 = await ServerMetrics.ReadAsync(serverUrl);
        var me = Process.GetCurrentProcess();
        var (serverCpu0, machine0, harness0) = (ProcStats.CpuSeconds(pid), ProcStats.MachineCpu(), me.TotalProcessorTime);
        var began = Stopwatch.GetTimestamp();
        long peakKb = 0;
        while (Stopwatch.GetTimestamp() < t1)
        {
            peakKb = Math.Max(peakKb, ProcStats.StatusKb(pid, "VmRSS"));
            await Task.Delay(250);
        }
        var seconds = Stopwatch.GetElapsedTime(began).TotalSeconds;
        ServerMetrics.Record(metrics0, await ServerMetrics.ReadAsync(serverUrl), seconds, result.Server);
        me.Refresh();
        var machine1 = ProcStats.MachineCpu();
        result.Server.CpuCores = Math.Round((ProcStats.CpuSeconds(pid) - serverCpu0) / seconds, 2);
        result.Server.PeakRssInWindowMb = Math.Round(Math.Max(peakKb, ProcStats.StatusKb(pid, "VmRSS")) / 1024.0, 1);
        result.HarnessCpuCores = Math.Round((me.TotalProcessorTime - harness0).TotalSeconds / seconds, 2);
        result.MachineCpuBusyPercent = Math.Round(100.0 * (machine1.Busy - machine0.Busy) / Math.Max(1, machine1.Total - machine0.Total), 1);
    }

    /// <summary>Every tip given a code must reach its ward's officer exactly once, and nothing else may.</summary>
    private static async Task VerifyAlertsAsync(LoadOptions o, TelegramApiDouble api, List<WorkerLog> logs, IReadOnlyDictionary<string, long> officerOfUnit,
        long t0, long t1, LoadResult result)
    {
        var tips = logs.SelectMany(l => l.Conversations).Where(c => c.Completed).ToList();
        var codes = tips.Select(t => t.Code!).ToHashSet(StringComparer.Ordinal);
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * o.AlertWaitSeconds;
        while (codes.Any(c => !api.Alerts.ContainsKey(c)) && Stopwatch.GetTimestamp() < deadline) await Task.Delay(100);
        // An observation window, not a wait for something expected: a duplicate alert would come
        // from a job run twice, right behind the first, and its absence has no event to wait on.
        await Task.Delay(3000);

        var check = result.Alerts;
        check.TipsGivenACode = tips.Count;
        check.AlertsReceived = api.Alerts.Values.Sum(a => a.Count);
        check.Missing = codes.Count(c => !api.Alerts.ContainsKey(c));
        check.MissingExamples = codes.Where(c => !api.Alerts.ContainsKey(c)).Take(5).ToList();
        check.Duplicated = api.Alerts.Count(kv => kv.Value.Count > 1);
        check.ForUnknownCodes = api.Alerts.Keys.Count(c => !codes.Contains(c));
        check.WrongOfficer = tips.Count(t => api.Alerts.TryGetValue(t.Code!, out var a) && t.ExpectedUnit is { } unit
            && officerOfUnit.TryGetValue(unit, out var officer) && a.FirstChat != officer);
        if (codes.Count != tips.Count) check.Duplicated += tips.Count - codes.Count; // the same code given to two tips

        // Alert latency over the tips submitted in the measured window (after the warm-up).
        var window = tips.Where(t => t.SubmitStartedAt >= t0 && t.SubmitStartedAt < t1 && api.Alerts.ContainsKey(t.Code!)).ToList();
        result.SubmitToAlertMs = Percentiles.OfTicks(window.Select(t => api.Alerts[t.Code!].FirstArrivedAt - t.SubmitStartedAt));
        result.CodeToAlertMs = Percentiles.OfTicks(window.Select(t => api.Alerts[t.Code!].FirstArrivedAt - t.CodeArrivedAt));
    }

    /// <summary>
    /// Redis memory per conversation in progress: INFO memory before and after N new residents are
    /// held mid-tip (description, category and ward known, time answered, anonymity asked), plus
    /// MEMORY USAGE of their conversation keys and a sample of delivery records.
    /// </summary>
    /// <summary>Redis's used memory once the run's jobs have settled: two readings 250 ms apart within 0.5 %, or after 10 s.</summary>
    private static async Task<long> SettledMemoryAsync(IServer server)
    {
        var deadline = Stopwatch.GetTimestamp() + 10 * Stopwatch.Frequency;
        var last = await UsedMemoryAsync(server);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(250);
            var now = await UsedMemoryAsync(server);
            if (Math.Abs(now - last) <= last * 0.005) return now;
            last = now;
        }
        return last;
    }

    private static async Task<RedisFigures> MeasureRedisAsync(LoadOptions o, ResidentDriver driver, string prefix)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(o.Redis + ",allowAdmin=true");
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var db = redis.GetDatabase();
        var figures = new RedisFigures { HeldAt = "anonymity question (description, category, ward and time given)", UsedMemoryBefore = await SettledMemoryAsync(server), KeysBefore = await server.DatabaseSizeAsync() };

        var residents = new System.Collections.Concurrent.ConcurrentQueue<Resident>();
        var next = 0;
        var logs = new List<WorkerLog>();
        var workers = Enumerable.Range(0, Math.Min(32, o.Hold)).Select(_ =>
        {
            var log = new WorkerLog();
            logs.Add(log);
            return Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) <= o.Hold)
                {
                    var resident = ResidentDriver.NewResident();
                    var c = await driver.RunTipAsync(resident, ResidentDriver.Templates[i % ResidentDriver.Templates.Length], log, holdAt: Question.Anonymous);
                    if (c.Held) residents.Enqueue(resident);
                }
            });
        }).ToList();
        await Task.WhenAll(workers);
        figures.HeldConversations = residents.Count;
        figures.HoldFailures = o.Hold - residents.Count;
        figures.UsedMemoryAfter = await SettledMemoryAsync(server);
        figures.KeysAfter = await server.DatabaseSizeAsync();
        figures.BytesPerHeldConversation = Math.Round((double)(figures.UsedMemoryAfter - figures.UsedMemoryBefore) / Math.Max(1, residents.Count), 1);

        var keys = new ConversationKeys(Encoding.UTF8.GetBytes(HashKey));
        var sample = residents.Take(200).Select(r => (RedisKey)$"{prefix}:conv:{keys.Conversation("telegram", r.ChatId.ToString(CultureInfo.InvariantCulture))}").ToList();
        var usage = new List<double>();
        var stateBytes = new List<double>();
        foreach (var key in sample)
        {
            var used = await db.ExecuteAsync("MEMORY", "USAGE", key, "SAMPLES", "0");
            if (!used.IsNull) usage.Add((long)used);
            var state = await db.HashGetAsync(key, "s");
            if (state.HasValue) stateBytes.Add(((byte[])state!).Length);
        }
        figures.ConversationKeyMemoryUsage = usage.Count == 0 ? 0 : Math.Round(usage.Average(), 1);
        figures.StateJsonBytes = stateBytes.Count == 0 ? 0 : Math.Round(stateBytes.Average(), 1);
        var deliveries = new List<double>();
        await foreach (var key in server.KeysAsync(pattern: $"{prefix}:dlv:*", pageSize: 500))
        {
            var used = await db.ExecuteAsync("MEMORY", "USAGE", key, "SAMPLES", "0");
            if (!used.IsNull) deliveries.Add((long)used);
            if (deliveries.Count >= 200) break;
        }
        figures.DeliveryKeyMemoryUsage = deliveries.Count == 0 ? 0 : Math.Round(deliveries.Average(), 1);
        return figures;
    }

    private static async Task<long> UsedMemoryAsync(IServer server)
    {
        var info = await server.InfoAsync("memory");
        return long.Parse(info.SelectMany(g => g).First(kv => kv.Key == "used_memory").Value, CultureInfo.InvariantCulture);
    }

    internal static async Task DeleteRedisKeysAsync(string redisAddress, string prefix)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisAddress + ",allowAdmin=true");
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var db = redis.GetDatabase();
        foreach (var pattern in new[] { $"{prefix}:*", $"{{{prefix}:hangfire}}:*" })
        {
            var batch = new List<RedisKey>(500);
            await foreach (var key in server.KeysAsync(pattern: pattern, pageSize: 1000))
            {
                batch.Add(key);
                if (batch.Count == 500) { await db.KeyDeleteAsync(batch.ToArray()); batch.Clear(); }
            }
            if (batch.Count > 0) await db.KeyDeleteAsync(batch.ToArray());
        }
    }

    /// <summary>The sample units, one Telegram officer per ward or commune, and the city's duty desk.</summary>
    private static (string Units, string Officers, Dictionary<string, long> OfficerOfUnit) WriteDirectory(string workDir)
    {
        var units = Path.Combine(workDir, "units.csv");
        File.Copy(BenchData.SampleUnitsCsv, units);
        var officerOfUnit = new Dictionary<string, long>(StringComparer.Ordinal);
        var csv = new StringBuilder("id,full_name,unit_code,role,channel,chat_id,phone\n");
        var i = 0;
        foreach (var unit in BenchData.SampleUnits())
        {
            if (unit.Type == TipBot.Core.Directory.UnitType.Province)
            {
                csv.Append(CultureInfo.InvariantCulture, $"desk-{unit.Code},{Csv.Escape("Trực ban " + unit.Name)},{unit.Code},duty_desk,telegram,{ProvinceDeskChat},\n");
                continue;
            }
            var chat = FirstOfficerChat + i++;
            officerOfUnit[unit.Code] = chat;
            csv.Append(CultureInfo.InvariantCulture, $"o-{unit.Code},{Csv.Escape("Cán bộ " + unit.Name)},{unit.Code},officer,telegram,{chat},\n");
        }
        var officers = Path.Combine(workDir, "officers.csv");
        File.WriteAllText(officers, csv.ToString());
        return (units, officers, officerOfUnit);
    }

    internal static async Task<string> CreatePostgresDatabaseAsync(string admin, string name)
    {
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    internal static async Task DropPostgresDatabaseAsync(string admin, string name)
    {
        try
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException e)
        {
            Console.Error.WriteLine($"could not drop database {name}: {e.Message}");
        }
    }

    internal static MachineInfo Machine()
    {
        string dotnet;
        try
        {
            using var p = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
            dotnet = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception) { dotnet = "?"; }
        return new MachineInfo
        {
            Cpus = Environment.ProcessorCount,
            CpuModel = ProcStats.CpuModel(),
            MemoryGb = Math.Round(ProcStats.MemTotalKb() / 1024.0 / 1024.0, 1),
            Os = ProcStats.OsName(),
            Dotnet = $"SDK {dotnet}, runtime {Environment.Version}",
            DateUtc = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The server's GC mode from its runtimeconfig.json (the Web SDK turns server GC on).</summary>
    private static string GcSettings(string serverDll)
    {
        var config = Path.ChangeExtension(serverDll, ".runtimeconfig.json");
        if (!File.Exists(config)) return "unknown";
        using var doc = JsonDocument.Parse(File.ReadAllText(config));
        if (!doc.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var props)) return "defaults (workstation)";
        var gc = props.EnumerateObject().Where(p => p.Name.StartsWith("System.GC.", StringComparison.Ordinal)).Select(p => $"{p.Name[10..]}={p.Value}").ToList();
        return gc.Count == 0 ? "defaults (workstation)" : string.Join(", ", gc);
    }

    private static void Print(LoadResult r)
    {
        var s = r.Server;
        Console.WriteLine();
        Console.WriteLine($"## {(string.IsNullOrEmpty(r.Label) ? "result" : r.Label)}: {r.Mode}, {(r.Rate is { } rate ? $"{rate} tips/s" : $"{r.Residents} residents")}, {r.Stores}, {r.Places}");
        Console.WriteLine($"machine: {r.Machine.Cpus} × {r.Machine.CpuModel}, {r.Machine.MemoryGb} GB, {r.Machine.Os}, {r.Machine.Dotnet}, {r.Machine.DateUtc}; load average before {r.LoadAverageBefore}, after {r.LoadAverageAfter}");
        Console.WriteLine();
        Console.WriteLine("| figure | value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| verified (every reply, every alert exactly once, no errors) | **{(r.Verified ? "yes" : "NO")}** |");
        Console.WriteLine($"| conversations started / completed / failed / not started | {r.ConversationsStarted} / {r.ConversationsCompleted} / {r.ConversationsFailed} / {r.ConversationsNotStarted} |");
        Console.WriteLine($"| turns per tip | {r.TurnsPerConversation} |");
        Console.WriteLine($"| turns/s (window {r.Seconds} s) | {r.TurnsPerSecond} |");
        Console.WriteLine($"| tips/s | {r.TipsPerSecond} |");
        Console.WriteLine($"| reply latency p50 / p95 / p99 ms | {r.ReplyLatencyMs.Row} |");
        Console.WriteLine($"| webhook ack latency p50 / p95 / p99 ms | {r.AckLatencyMs.Row} |");
        foreach (var (step, p) in r.ReplyLatencyByStepMs) Console.WriteLine($"| reply latency, step {step} | {p.Row} (n={p.Count}) |");
        Console.WriteLine($"| submitted → officer alert p50 / p95 / p99 ms | {r.SubmitToAlertMs.Row} (n={r.SubmitToAlertMs.Count}) |");
        Console.WriteLine($"| code reply → officer alert p50 / p95 / p99 ms | {r.CodeToAlertMs.Row} |");
        Console.WriteLine($"| alerts: tips / received / missing / duplicated / wrong officer / unknown | {r.Alerts.TipsGivenACode} / {r.Alerts.AlertsReceived} / {r.Alerts.Missing} / {r.Alerts.Duplicated} / {r.Alerts.WrongOfficer} / {r.Alerts.ForUnknownCodes} |");
        Console.WriteLine($"| errors | {(r.Errors.Count == 0 ? "0" : string.Join(", ", r.Errors.Select(kv => $"{kv.Key}: {kv.Value}")))} |");
        Console.WriteLine($"| server CPU (cores, of {r.Machine.Cpus}) | {s.CpuCores} |");
        Console.WriteLine($"| server peak RSS in window / VmHWM / RSS at end, MB | {s.PeakRssInWindowMb} / {s.VmHwmMb} / {s.RssAtEndMb} |");
        Console.WriteLine($"| server allocated per turn KB / GC collections per 1,000 turns / time paused by the GC % (its /metrics) | {s.AllocatedKbPerTurn?.ToString() ?? "n/a"} / {s.CollectionsPer1000Turns?.ToString() ?? "n/a"} / {s.GcPausedPercent?.ToString() ?? "n/a"} |");
        Console.WriteLine($"| server start-up to ready (ms) / first tip after start (ms, its turns) | {s.StartupToReadyMs} / {r.ColdTipMs} ({string.Join(" / ", r.ColdTurnsMs)}) |");
        Console.WriteLine($"| server GC / log level / fail log lines | {s.Gc} / {s.LogLevel} / {s.FailLogLines} |");
        Console.WriteLine($"| harness CPU (cores) / machine CPU busy % | {r.HarnessCpuCores} / {r.MachineCpuBusyPercent} |");
        Console.WriteLine($"| Telegram calls: sendMessage / answerCallbackQuery (button turns) / other | {r.Telegram.SendMessage} / {r.Telegram.AnswerCallbackQuery} ({r.Telegram.ButtonTurns}) / {r.Telegram.Other} |");
        if (r.Redis is { } redis)
        {
            Console.WriteLine($"| Redis: conversations held at {redis.HeldAt} | {redis.HeldConversations} (failed {redis.HoldFailures}) |");
            Console.WriteLine($"| Redis used_memory before → after (keys) | {redis.UsedMemoryBefore} → {redis.UsedMemoryAfter} ({redis.KeysBefore} → {redis.KeysAfter}) |");
            Console.WriteLine($"| Redis bytes per conversation in progress (INFO delta, incl. delivery records) | {redis.BytesPerHeldConversation} |");
            Console.WriteLine($"| Redis MEMORY USAGE conversation key / state JSON bytes / delivery record | {redis.ConversationKeyMemoryUsage} / {redis.StateJsonBytes} / {redis.DeliveryKeyMemoryUsage} |");
        }
        foreach (var e in r.ErrorExamples) Console.WriteLine($"- {e}");
        foreach (var m in r.Alerts.MissingExamples) Console.WriteLine($"- alert missing for {m}");
    }
}
