using System.Diagnostics;

namespace TipBot.FaultTests.Infrastructure;

/// <summary>One run of a server process: which node, which pid, when it started, got ready, died.</summary>
public sealed class ServerGeneration
{
    public required string Tag { get; init; }
    public required int Pid { get; init; }
    public required DateTime StartedAt { get; init; }
    public DateTime? ReadyAt { get; set; }
    public DateTime? KilledAt { get; set; }
    public DateTime? ExitedAt { get; set; }
    public int? ExitCode { get; set; }
    public string LogFile { get; init; } = "";
}

/// <summary>
/// A TipBot.Server node: `dotnet TipBot.Server.dll --urls http://127.0.0.1:PORT` as our child
/// process, configured by environment variables, on a fixed port so that residents can find it
/// again after a restart. Kills are SIGKILL. Like systemd with Restart=always, a process that ends
/// by itself (e.g. it could not reach Redis at start) is started again after a second.
/// </summary>
public sealed class ServerNode : IAsyncDisposable
{
    private readonly string _dll;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly Func<string, Task<string>> _telegramFor;
    private readonly string _logDir;
    private readonly EventLog _events;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<ServerGeneration> _generations = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _supervisor;
    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(2) };
    private Process? _process;
    private ServerGeneration? _current;
    private volatile bool _wanted;

    public ServerNode(string name, string dll, IReadOnlyDictionary<string, string> environment, Func<string, Task<string>> telegramFor, string logDir, EventLog events)
    {
        Name = name;
        Port = Native.FreeLoopbackPort();
        _dll = dll;
        _environment = environment;
        _telegramFor = telegramFor;
        _logDir = logDir;
        _events = events;
        _supervisor = Task.Run(SuperviseAsync);
    }

    public string Name { get; }
    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}";
    public int SelfExits { get; private set; }

    public IReadOnlyList<ServerGeneration> Generations
    {
        get { lock (_generations) return _generations.ToArray(); }
    }

    public bool IsReady => _current is { ReadyAt: not null, ExitedAt: null };

    public async Task StartAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _wanted = true;
            if (_process is null || _process.HasExited) await LaunchAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>SIGKILL the running process; start a new one after <paramref name="restartAfter"/> (null: leave it down).</summary>
    public async Task<ServerGeneration?> KillAsync(TimeSpan? restartAfter)
    {
        ServerGeneration? killed = null;
        await _gate.WaitAsync();
        try
        {
            if (_process is { HasExited: false } process && _current is { } current)
            {
                current.KilledAt = DateTime.UtcNow;
                process.Kill(); // SIGKILL
                await process.WaitForExitAsync();
                current.ExitedAt ??= DateTime.UtcNow;
                current.ExitCode = process.ExitCode;
                killed = current;
                _events.Add("kill", $"SIGKILL {current.Tag} (pid {current.Pid}, up {(current.KilledAt - current.StartedAt)!.Value.TotalSeconds:0.0}s, {(current.ReadyAt is null ? "not ready yet" : "serving")})");
            }
            _wanted = restartAfter is not null;
            if (restartAfter is { } delay)
            {
                await Task.Delay(delay);
                await LaunchAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
        return killed;
    }

    public async Task<bool> WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (IsReady) return true;
            await Task.Delay(100);
        }
        return IsReady;
    }

    private async Task LaunchAsync()
    {
        int generation;
        lock (_generations) generation = _generations.Count + 1;
        var tag = $"{Name}{generation}";
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(_dll)!,
        };
        foreach (var a in new[] { _dll, "--urls", Url }) start.ArgumentList.Add(a);
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (k, v) in _environment) start.Environment[k] = v;
        start.Environment["Telegram__ApiBaseUrl"] = await _telegramFor(tag);
        var logFile = Path.Combine(_logDir, $"{tag}.log");
        var log = new StreamWriter(logFile, append: false) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var info = new ServerGeneration { Tag = tag, Pid = process.Id, StartedAt = DateTime.UtcNow, LogFile = logFile };
        var gate = new Lock();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (gate) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (gate) log.WriteLine("stderr: " + e.Data); };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) =>
        {
            info.ExitedAt ??= DateTime.UtcNow;
            // WaitForExitAsync also waits for the redirected output to reach its end: then the file can close.
            _ = process.WaitForExitAsync().ContinueWith(_ => { lock (gate) log.Dispose(); }, TaskScheduler.Default);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_generations) _generations.Add(info);
        _process = process;
        _current = info;
        _events.Add("start", $"{tag} (pid {process.Id}) on {Url}");
        _ = Task.Run(() => WatchReadinessAsync(info, process));
    }

    private async Task WatchReadinessAsync(ServerGeneration info, Process process)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!process.HasExited && DateTime.UtcNow < deadline && !_stop.IsCancellationRequested)
        {
            try
            {
                using var response = await _probe.GetAsync($"{Url}/health/live");
                if (response.IsSuccessStatusCode)
                {
                    info.ReadyAt = DateTime.UtcNow;
                    _events.Add("ready", $"{info.Tag} after {(info.ReadyAt - info.StartedAt).Value.TotalSeconds:0.0}s");
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Restart=always: a process that ended without our kill is started again after a second.</summary>
    private async Task SuperviseAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(250, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (!_wanted || !await _gate.WaitAsync(0)) continue;
            try
            {
                if (_wanted && _process is { HasExited: true } process && _current is { KilledAt: null } current)
                {
                    current.ExitCode = process.ExitCode;
                    SelfExits++;
                    _events.Add("exit", $"{current.Tag} ended by itself with code {process.ExitCode} after {(DateTime.UtcNow - current.StartedAt).TotalSeconds:0.0}s; restarting in 1 s");
                    await Task.Delay(1000);
                    if (_wanted) await LaunchAsync();
                }
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    public async Task StopAsync()
    {
        _wanted = false;
        await _gate.WaitAsync();
        try
        {
            if (_process is { HasExited: false } process)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await StopAsync(); }
        catch (Exception) { /* already gone */ }
        try { await _supervisor; }
        catch (Exception) { }
        _probe.Dispose();
    }
}
