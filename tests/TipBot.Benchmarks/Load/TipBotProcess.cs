using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TipBot.Benchmarks.Load;

/// <summary>
/// TipBot.Server as a child process, configured only through environment variables (the keys
/// operators use), its output in a log file. Stopped with SIGTERM, killed if it does not stop.
/// </summary>
public sealed class TipBotProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private int _failLines;

    private TipBotProcess(Process process, StreamWriter log, string url)
    {
        _process = process;
        _log = log;
        Url = url;
    }

    public string Url { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    /// <summary>Lines the server logged at "fail" or "crit" level.</summary>
    public int FailLines => Volatile.Read(ref _failLines);

    public TimeSpan StartupToReady { get; private set; }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a command of the server (e.g. import-directory) to completion; returns its output.</summary>
    public static async Task<string> RunCommandAsync(string serverDll, IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var psi = StartInfo(serverDll, env, args);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        if (process.ExitCode != 0) throw new InvalidOperationException($"TipBot.Server {string.Join(' ', args)} failed ({process.ExitCode}): {output}");
        return output.Trim();
    }

    public static async Task<TipBotProcess> StartAsync(string serverDll, IReadOnlyDictionary<string, string> env, string logPath)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var psi = StartInfo(serverDll, env, "--urls", url);
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var started = Stopwatch.GetTimestamp();
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var server = new TipBotProcess(process, log, url);
        process.OutputDataReceived += (_, e) => server.Log(e.Data);
        process.ErrorDataReceived += (_, e) => server.Log(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 90;
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"TipBot.Server exited ({process.ExitCode}) before it was ready; see {logPath}");
            try
            {
                using var ready = await http.GetAsync(url + "/health/ready");
                if (ready.IsSuccessStatusCode) break;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            if (Stopwatch.GetTimestamp() > deadline)
            {
                await server.DisposeAsync();
                throw new TimeoutException($"TipBot.Server not ready after 90 s; see {logPath}");
            }
            await Task.Delay(20);
        }
        server.StartupToReady = Stopwatch.GetElapsedTime(started);
        return server;
    }

    private static ProcessStartInfo StartInfo(string serverDll, IReadOnlyDictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            // The content root is the working directory: appsettings.json is read from the server's folder, as deployed.
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(serverDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        // Settings of the shell this runs from must not leak into the measured server.
        foreach (var key in psi.Environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k == "DOTNET_ENVIRONMENT").ToList())
            psi.Environment.Remove(key);
        foreach (var (key, value) in env) psi.Environment[key] = value;
        return psi;
    }

    private void Log(string? line)
    {
        if (line is null) return;
        if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
            Interlocked.Increment(ref _failLines);
        lock (_log) if (!_closed) _log.WriteLine(line);
    }

    private bool _closed;

    /// <summary>SIGKILL, then waits for the process to be gone.</summary>
    public async Task KillHardAsync()
    {
        ProcStats.KillHard(_process.Id);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            ProcStats.Terminate(_process.Id);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await _process.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
        }
        _process.Dispose();
        lock (_log) { _closed = true; _log.Dispose(); }
    }
}
