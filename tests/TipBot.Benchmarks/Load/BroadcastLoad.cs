using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace TipBot.Benchmarks.Load;

/// <summary>
/// `load --broadcast` (issue 7): N residents subscribe in chat (`/dangky phường …` webhook turns),
/// then one notice to all of them goes through the admin API while the Telegram double enforces
/// the rate over any sliding second and one message per chat per second. Measures POST → last
/// accepted message and → status "done", 429s, and copies per chat. With --kill-at the server is
/// SIGKILLed once that share was accepted and started again at once; each duplicate is classed by
/// when its first copy reached the double: from 100 ms before the kill signal until the restarted
/// server was ready (the platform took it in the instant before the crash, or it was on the wire
/// when the process died) or not.
/// </summary>
public static class BroadcastLoad
{
    private const string AdminKey = "load-admin-key-0123456789";
    private static readonly TimeSpan SendWindow = TimeSpan.FromMilliseconds(100);
    private static readonly string[] Places = ["phường Hải Châu", "phường Hải Vân", "phường Hoà Cường", "phường Thanh Khê", "phường Sơn Trà", "phường Ngũ Hành Sơn"];

    public static async Task<int> RunAsync(LoadOptions o, string serverDll)
    {
        var rate = (int)Math.Round(o.Rate ?? 1000);
        var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + Random.Shared.Next(100, 999);
        var workDir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "tipbot-broadcast-" + stamp)).FullName;
        var prefix = "bcast" + stamp;
        string? pgDatabase = null;
        var ok = false;
        var r = new Dictionary<string, object?>
        {
            ["label"] = o.Label ?? "",
            ["stores"] = o.Stores,
            ["subscribers"] = o.Subscribers,
            ["rate"] = rate,
            ["killAt"] = o.KillAt,
            ["machine"] = LoadCommand.Machine(),
            ["extraEnvironment"] = o.ServerEnv.ToList(),
        };
        try
        {
            var database = $"Data Source={Path.Combine(workDir, "tipbot.db")}";
            if (o.Postgres is not null)
            {
                pgDatabase = "tipbot_bcast_" + stamp;
                database = await LoadCommand.CreatePostgresDatabaseAsync(o.Postgres, pgDatabase);
            }
            const string text = "⚠️ [load] Cảnh báo: thủ đoạn giả danh công an gọi điện yêu cầu chuyển tiền. Không chuyển tiền cho người lạ.";
            await using var api = await TelegramApiDouble.StartAsync(new HashSet<long>());
            var watch = api.UseBroadcastMode(text);
            var env = LoadCommand.ServerEnvironment(database, o.Redis, prefix, api.BaseUrl, seedSample: true);
            env["Admin__ApiKeys__0"] = AdminKey;
            env["Broadcast__Telegram__MessagesPerSecond"] = rate.ToString(CultureInfo.InvariantCulture);
            if (o.ServerLogLevel is { } level) env["Logging__LogLevel__Default"] = level;
            foreach (var setting in o.ServerEnv)
            {
                var eq = setting.IndexOf('=');
                if (eq <= 0) throw new ArgumentException($"--env {setting}: expected Key=value");
                env[setting[..eq]] = setting[(eq + 1)..];
            }
            Console.WriteLine($"# TipBot broadcast load: {o.Subscribers} subscribers, {rate} messages/s enforced by the double{(o.KillAt is { } k ? $", SIGKILL at {k:P0}" : "")}, {o.Stores}");
            Console.WriteLine($"server {serverDll}, work dir {workDir}, Telegram double {api.BaseUrl}");

            var server = await TipBotProcess.StartAsync(serverDll, env, Path.Combine(workDir, "server.log"));
            TipBotProcess? restarted = null;
            try
            {
                Console.WriteLine($"server pid {server.Pid} ready in {server.StartupToReady.TotalMilliseconds:0} ms");
                using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 1024 }) { Timeout = TimeSpan.FromSeconds(30) };

                // 1. Subscribers, through the chat as residents do it.
                var subscribeStart = Stopwatch.GetTimestamp();
                var failedTurns = await SubscribeAsync(http, server.Url, o.Subscribers, o.SubscribeConcurrency);
                var confirmDeadline = Stopwatch.GetTimestamp() + 60 * Stopwatch.Frequency;
                while (watch.Subscribed.Count < o.Subscribers && Stopwatch.GetTimestamp() < confirmDeadline) await Task.Delay(100);
                var subscribeSeconds = Stopwatch.GetElapsedTime(subscribeStart).TotalSeconds;
                r["subscribeSeconds"] = Math.Round(subscribeSeconds, 1);
                r["subscribeTurnsPerSecond"] = Math.Round(o.Subscribers / subscribeSeconds, 1);
                r["subscribeFailedTurns"] = failedTurns;
                r["subscriptionsConfirmed"] = watch.Subscribed.Count;
                Console.WriteLine($"{watch.Subscribed.Count} of {o.Subscribers} subscribed in {subscribeSeconds:0.0} s ({failedTurns} failed turns)");

                // 2. The notice, with the double now enforcing the limits.
                watch.Enforce(rate);
                using var admin = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
                admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
                r["loadAverageBefore"] = ProcStats.LoadAverage();
                var machine0 = ProcStats.MachineCpu();
                var cpu0 = ProcStats.CpuSeconds(server.Pid);
                var sampler = new RssSampler(server.Pid);
                var posted = Stopwatch.GetTimestamp();
                using var response = await admin.PostAsJsonAsync(server.Url + "/api/admin/notices", new { text, unitCodes = (string[]?)null, channels = new[] { "telegram" } });
                response.EnsureSuccessStatusCode();
                var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

                long? killedAt = null, readyAgainAt = null;
                double cpuFirst = 0, cpuSecond = 0, rssFirst = 0, rssSecond = 0;
                var current = server;
                if (o.KillAt is { } share)
                {
                    var target = (long)Math.Ceiling(share * o.Subscribers);
                    try { await watch.AcceptedAsync(target).WaitAsync(TimeSpan.FromSeconds(120)); }
                    catch (TimeoutException) { } // killed all the same: acceptedAtKill reports how far it got
                    cpuFirst = ProcStats.CpuSeconds(server.Pid) - cpu0;
                    rssFirst = sampler.PeakMb;
                    // The time of the signal, not of the reaping: a busy machine takes a while to report the exit.
                    killedAt = Stopwatch.GetTimestamp();
                    await server.KillHardAsync();
                    r["killToExitObservedMs"] = Math.Round(Ms(Stopwatch.GetTimestamp() - killedAt.Value), 1);
                    r["acceptedAtKill"] = watch.NoticeAccepted;
                    sampler.Dispose();
                    restarted = await TipBotProcess.StartAsync(serverDll, env, Path.Combine(workDir, "server-restarted.log"));
                    readyAgainAt = Stopwatch.GetTimestamp();
                    current = restarted;
                    cpu0 = ProcStats.CpuSeconds(restarted.Pid);
                    sampler = new RssSampler(restarted.Pid);
                    Console.WriteLine($"killed at {r["acceptedAtKill"]} accepted; restarted pid {restarted.Pid}, ready {Ms(readyAgainAt.Value - killedAt.Value):0} ms after the kill");
                }

                // 3. Until the server says done (and every subscriber has a copy), within bounds.
                string status = "?";
                JsonElement progress = default;
                var doneDeadline = Stopwatch.GetTimestamp() + 300 * Stopwatch.Frequency;
                long? doneAt = null;
                while (Stopwatch.GetTimestamp() < doneDeadline)
                {
                    try
                    {
                        progress = await admin.GetFromJsonAsync<JsonElement>($"{current.Url}/api/admin/notices/{id}");
                        status = progress.GetProperty("status").GetString()!;
                        if (status == "done") { doneAt = Stopwatch.GetTimestamp(); break; }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
                    await Task.Delay(50);
                }
                var cpuEnd = ProcStats.CpuSeconds(current.Pid) - cpu0;
                if (o.KillAt is null) (cpuFirst, rssFirst) = (cpuEnd, sampler.PeakMb); else (cpuSecond, rssSecond) = (cpuEnd, sampler.PeakMb);
                sampler.Dispose();
                var machine1 = ProcStats.MachineCpu();
                r["loadAverageAfter"] = ProcStats.LoadAverage();
                r["machineCpuBusyPercent"] = Math.Round(100.0 * (machine1.Busy - machine0.Busy) / Math.Max(1, machine1.Total - machine0.Total), 1);
                // An observation window, not a wait for something expected: a late duplicate would come right behind.
                await Task.Delay(3000);

                var copies = watch.Copies.ToDictionary(kv => kv.Key, kv => { lock (kv.Value) return kv.Value.ToList(); });
                var duplicates = copies.Where(kv => kv.Value.Count > 1).ToList();
                // Inside the send window: the first copy reached the double at most 100 ms before the
                // signal, or after it (a request already on the wire when the process died) but before
                // the restarted server was ready — the killed process's last sends, not the resumed one's.
                var inWindow = killedAt is { } kill
                    ? duplicates.Count(d => d.Value[0] >= kill - (long)(SendWindow.TotalSeconds * Stopwatch.Frequency) && d.Value[0] <= readyAgainAt!.Value)
                    : 0;
                var missing = watch.Subscribed.Keys.Count(c => !copies.ContainsKey(c));
                var totalMs = Ms(watch.LastAt - posted);
                r["noticeId"] = id;
                r["status"] = status;
                r["progress"] = progress.ValueKind == JsonValueKind.Object ? progress.ToString() : null;
                r["postToFirstAcceptedMs"] = Math.Round(Ms(watch.FirstAt - posted), 1);
                r["postToLastAcceptedMs"] = Math.Round(totalMs, 1);
                r["postToDoneMs"] = doneAt is { } d0 ? Math.Round(Ms(d0 - posted), 1) : null;
                r["minimumSeconds"] = (double)o.Subscribers / rate;
                r["timesMinimum"] = Math.Round(totalMs / 1000 / ((double)o.Subscribers / rate), 3);
                r["sendingRatePerSecond"] = Math.Round((watch.NoticeAccepted - 1) / Math.Max(0.001, Ms(watch.LastAt - watch.FirstAt) / 1000), 1);
                r["peakAcceptedInAnySlidingSecond"] = watch.PeakWindow;
                r["tooManyRequests429"] = watch.TooManyRequests;
                r["tooManyRequestsPerChat"] = watch.TooManyRequestsPerChat;
                r["copiesAccepted"] = watch.NoticeAccepted;
                r["chatsReached"] = copies.Count;
                r["subscribersMissingTheNotice"] = missing;
                r["duplicates"] = duplicates.Count;
                r["duplicatesInsideSendWindow"] = inWindow;
                r["duplicatesOutsideSendWindow"] = duplicates.Count - inWindow;
                if (killedAt is { } k2)
                {
                    r["restartGapMs"] = Math.Round(Ms(readyAgainAt!.Value - k2), 1);
                    var firstAfter = copies.Values.SelectMany(v => v).Where(t => t > k2).DefaultIfEmpty(0).Min();
                    r["killToFirstAcceptedAfterMs"] = firstAfter == 0 ? null : Math.Round(Ms(firstAfter - k2), 1);
                    r["lastAcceptedBeforeKillMs"] = Math.Round(Ms(k2 - copies.Values.SelectMany(v => v).Where(t => t <= k2).DefaultIfEmpty(k2).Max()), 1);
                    r["postToLastAcceptedLessRestartGapMs"] = Math.Round(totalMs - Ms(readyAgainAt.Value - k2), 1);
                    r["duplicateFirstCopyBeforeKillMs"] /* negative: after the signal, in flight */ = duplicates.Select(d => Math.Round(Ms(k2 - d.Value[0]), 1)).Order().ToList();
                }
                r["serverCpuSecondsFirst"] = Math.Round(cpuFirst, 2);
                r["serverCpuSecondsRestarted"] = Math.Round(cpuSecond, 2);
                r["serverPeakRssMbFirst"] = rssFirst;
                r["serverPeakRssMbRestarted"] = rssSecond;
                r["serverFailLogLines"] = server.FailLines + (restarted?.FailLines ?? 0);
                ok = status == "done" && missing == 0 && duplicates.Count - inWindow == 0 && watch.TooManyRequests == 0
                    && watch.Subscribed.Count == o.Subscribers && (inWindow == 0 || o.KillAt is not null);
                r["verified"] = ok;
            }
            finally
            {
                await server.DisposeAsync();
                if (restarted is not null) await restarted.DisposeAsync();
            }
            var json = JsonSerializer.Serialize(r, new JsonSerializerOptions { WriteIndented = true });
            Console.WriteLine();
            Console.WriteLine(json);
            if (o.Out is not null) await File.WriteAllTextAsync(o.Out, json);
            if (o.Redis is not null && !o.Keep) await LoadCommand.DeleteRedisKeysAsync(o.Redis, prefix);
            return ok ? 0 : 1;
        }
        finally
        {
            if (pgDatabase is not null && !o.Keep) await LoadCommand.DropPostgresDatabaseAsync(o.Postgres!, pgDatabase);
            if (ok && !o.Keep) Directory.Delete(workDir, recursive: true);
            else Console.WriteLine($"kept {workDir} (server logs{(pgDatabase is null || ok ? "" : ", database " + pgDatabase)})");
        }
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>Webhook turns "/dangky phường …" from new chats, <paramref name="concurrency"/> at a time; returns the turns not answered 200.</summary>
    private static async Task<int> SubscribeAsync(HttpClient http, string serverUrl, int count, int concurrency)
    {
        var failed = 0;
        var next = -1;
        var url = serverUrl + "/webhooks/telegram";
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var body = ResidentDriver.TextUpdate(ResidentDriver.NewResident(), "/dangky " + Places[i % Places.Length]);
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Headers.Add(ResidentDriver.SecretHeader, LoadCommand.Secret);
                try
                {
                    using var response = await http.SendAsync(request);
                    if (!response.IsSuccessStatusCode) Interlocked.Increment(ref failed);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        })));
        return failed;
    }

    /// <summary>A process's peak RSS, read every 250 ms until disposed.</summary>
    private sealed class RssSampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private long _peakKb;

        public RssSampler(int pid) => _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try { Interlocked.Exchange(ref _peakKb, Math.Max(Interlocked.Read(ref _peakKb), ProcStats.StatusKb(pid, "VmRSS"))); }
                catch (IOException) { return; }
                try { await Task.Delay(250, _stop.Token); } catch (OperationCanceledException) { return; }
            }
        });

        public double PeakMb => Math.Round(Interlocked.Read(ref _peakKb) / 1024.0, 1);

        public void Dispose() => _stop.Cancel();
    }
}
