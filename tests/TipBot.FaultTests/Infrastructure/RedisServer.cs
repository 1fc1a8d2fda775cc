using System.Diagnostics;

namespace TipBot.FaultTests.Infrastructure;

/// <summary>
/// A redis-server of our own on a free loopback port, configured as production wants it for
/// Hangfire (append-only, noeviction), run in the foreground as our child so it can be restarted.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _binary;
    private readonly string _dir;
    private Process? _process;

    private RedisServer(string binary, string dir, int port)
    {
        _binary = binary;
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync(string workDir)
    {
        var binary = Native.FindOnPath("redis-server")
            ?? throw new InvalidOperationException("redis-server is not installed: scripts/test.sh (or scripts/fault-test.sh) installs it from Debian packages.");
        var dir = Path.Combine(workDir, "redis");
        Directory.CreateDirectory(dir);
        var server = new RedisServer(binary, dir, Native.FreeLoopbackPort());
        await server.StartProcessAsync();
        return server;
    }

    private async Task StartProcessAsync()
    {
        var start = new ProcessStartInfo(_binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
                 {
                     "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", _dir, "--daemonize", "no",
                     "--appendonly", "yes", "--maxmemory-policy", "noeviction", "--save", "", "--logfile", Path.Combine(_dir, "redis.log"),
                 })
            start.ArgumentList.Add(a);
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await PingAsync())
        {
            if (_process.HasExited) throw new InvalidOperationException($"redis-server exited {_process.ExitCode}; see {_dir}/redis.log");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("redis-server did not answer PING in 20 s");
            await Task.Delay(100);
        }
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(System.Net.IPAddress.Loopback, Port, cts.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cts.Token);
            var buffer = new byte[64];
            var n = await stream.ReadAsync(buffer, cts.Token);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, n).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGTERM (Redis writes and syncs its append-only file on the way out), wait, start again after <paramref name="downFor"/>.</summary>
    public async Task RestartAsync(TimeSpan downFor)
    {
        await StopAsync();
        await Task.Delay(downFor);
        await StartProcessAsync();
    }

    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited) return;
        Native.Signal(_process.Id, Native.SigTerm);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); }
        catch (Exception) { _process?.Kill(); }
        _process?.Dispose();
    }
}
