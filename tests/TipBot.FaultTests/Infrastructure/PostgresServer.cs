using Npgsql;

namespace TipBot.FaultTests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of our own (initdb + pg_ctl as the postgres user when we are root, like
/// scripts/test.sh) on a free loopback port. fsync is off (we crash processes, never the OS, so
/// what a committed transaction wrote to the kernel survives); synchronous_commit stays on, so a
/// commit PostgreSQL acknowledged survives an immediate stop.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _data;
    private readonly string _socket;
    private bool _running;

    private PostgresServer(string bin, string data, string socket, int port)
    {
        _bin = bin;
        _data = data;
        _socket = socket;
        Port = port;
    }

    public int Port { get; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=tipbot;Database=postgres;Pooling=false";

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=tipbot;Database={database}";

    public static async Task<PostgresServer> StartAsync(string workDir)
    {
        var initdb = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "initdb")).Where(File.Exists)
                .OrderBy(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var v) ? v : 0).LastOrDefault()
            : null;
        initdb ??= Native.FindOnPath("initdb")
            ?? throw new InvalidOperationException("PostgreSQL (initdb) is not installed: scripts/test.sh (or scripts/fault-test.sh) installs it from Debian packages.");
        var server = new PostgresServer(Path.GetDirectoryName(initdb)!, Path.Combine(workDir, "pg"), Path.Combine(workDir, "pgsock"), Native.FreeLoopbackPort());
        Directory.CreateDirectory(server._data);
        Directory.CreateDirectory(server._socket);
        if (Native.IsRoot) await Native.RunAsync("chown", ["postgres", server._data, server._socket], TimeSpan.FromSeconds(10));
        var (file, prefix) = Native.AsPostgres(initdb);
        await Native.RunAsync(file, [.. prefix, "-D", server._data, "-U", "tipbot", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"], TimeSpan.FromMinutes(2));
        await server.StartProcessAsync();
        return server;
    }

    private async Task StartProcessAsync()
    {
        var (file, prefix) = Native.AsPostgres(Path.Combine(_bin, "pg_ctl"));
        await Native.RunAsync(file,
            [.. prefix, "-D", _data, "-l", Path.Combine(_data, "server.log"), "-w", "-t", "60",
             "-o", $"-p {Port} -h 127.0.0.1 -k {_socket} -c fsync=off -c full_page_writes=off -c max_connections=300", "start"],
            TimeSpan.FromSeconds(90));
        _running = true;
    }

    /// <summary>Stops PostgreSQL (immediate: like a crash, every session cut; or fast), then starts it again after <paramref name="downFor"/>.</summary>
    public async Task RestartAsync(TimeSpan downFor, bool immediate)
    {
        await StopAsync(immediate ? "immediate" : "fast");
        await Task.Delay(downFor);
        await StartProcessAsync();
    }

    private async Task StopAsync(string mode)
    {
        if (!_running) return;
        var (file, prefix) = Native.AsPostgres(Path.Combine(_bin, "pg_ctl"));
        await Native.RunAsync(file, [.. prefix, "-D", _data, "-m", mode, "-w", "stop"], TimeSpan.FromSeconds(60));
        _running = false;
    }

    public async Task CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await create.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync("immediate"); }
        catch (Exception) { /* best effort: the temp folder goes anyway */ }
    }
}
