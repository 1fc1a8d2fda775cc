using System.Globalization;

namespace TipBot.Benchmarks.Load;

/// <summary>
/// `load` arguments. Two modes: closed loop (N residents, each starting the next tip as soon as
/// the last one got its code) and, with --rate, open loop (a new resident's tip every 1/rate s,
/// issue 5's "50 submitted tips per second").
/// </summary>
public sealed record LoadOptions
{
    public int Residents { get; init; } = 16;
    public int Seconds { get; init; } = 30;
    // Long enough for the runtime to finish optimising the hot code on two busy cores: with 5 s the
    // measured window was mostly warm-up (docs/benchmarks.md, fifth session).
    public int Warmup { get; init; } = 30;
    public double? Rate { get; init; }
    public string? Redis { get; init; }
    public string? Postgres { get; init; }
    public string? Server { get; init; }
    public int Hold { get; init; } = 1000;
    public string? Out { get; init; }
    public int StepTimeoutMs { get; init; } = 5000;
    public int AlertWaitSeconds { get; init; } = 30;
    public int MaxInFlight { get; init; } = 1000;
    public string? ServerLogLevel { get; init; }
    public string? Label { get; init; }
    public bool Keep { get; init; }
    /// <summary>Every tip in one ward (phường Hải Châu): a burst on one place, its officers' open tips piling up.</summary>
    public bool OneWard { get; init; }

    /// <summary>Broadcast mode: subscribers, then one notice to all of them at --rate messages/s (issue 7).</summary>
    public bool Broadcast { get; init; }
    public int Subscribers { get; init; } = 20_000;
    /// <summary>SIGKILL the server when the double has accepted this share of the notice, and start it again at once.</summary>
    public double? KillAt { get; init; }
    public int SubscribeConcurrency { get; init; } = 64;

    /// <summary>Extra server configuration (--env Key__Sub=value), for experiments; recorded in the result.</summary>
    public IReadOnlyList<string> ServerEnv { get; init; } = [];

    public bool RateMode => Rate is not null;

    /// <summary>The tip the n-th conversation reports.</summary>
    public TipTemplate TipFor(int n) => OneWard ? ResidentDriver.Templates[0] : ResidentDriver.Templates[n % ResidentDriver.Templates.Length];

    public string Places => OneWard ? "every tip in one ward" : $"tips in {ResidentDriver.Templates.Length} wards in turn";

    public string Stores => Redis is null && Postgres is null ? "embedded (SQLite, in-process store, Hangfire.InMemory)"
        : $"{(Postgres is null ? "SQLite" : "PostgreSQL")} + {(Redis is null ? "in-process store, Hangfire.InMemory" : "Redis (state, de-duplication, Hangfire)")}";

    public const string Usage = """
        load [--residents N] [--seconds S] [--warmup W] [--rate TIPS_PER_S]
             [--redis HOST:PORT] [--postgres "Host=...;Port=...;Username=...;Database=postgres"]
             [--server PATH/TipBot.Server.dll] [--hold N] [--out FILE.json] [--label TEXT]
             [--step-timeout-ms 5000] [--alert-wait-seconds 30] [--max-in-flight 1000]
             [--server-log-level Warning] [--env Key__Sub=value ...] [--one-ward] [--keep]
        load --broadcast [--subscribers 20000] [--rate MESSAGES_PER_S] [--kill-at 0.5] [--subscribe-concurrency 64]
             [--redis ...] [--postgres ...] [--server ...] [--out FILE.json] [--label TEXT] [--env ...] [--keep]

          --residents    concurrent simulated residents (closed loop), default 16
          --seconds      measured time, default 30; --warmup runs before it (not counted), default 30
          --rate         open loop instead: a new resident submits a tip every 1/rate s (issue 5: 50 for 60 s)
          --redis        a Redis you started (StackExchange.Redis form); without it the in-process store
          --postgres     a PostgreSQL server to create a throwaway database in; without it SQLite
          --server       the TipBot.Server.dll to run (default: src/TipBot.Server/bin/Release/net10.0)
          --one-ward     every tip in phường Hải Châu (a burst on one ward) instead of six wards in turn
          --hold         with Redis: conversations held mid-flow to measure Redis memory per conversation (0: skip)
          --broadcast    N residents subscribe (/dangky in chat), then one notice to all through the admin API;
                         the double enforces --rate (default 1000) messages in any sliding second and 1/s per chat
          --kill-at      with --broadcast: SIGKILL the server when that share was accepted, start it again at once
        """;

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var o = new LoadOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--residents" => o with { Residents = Int() },
                "--seconds" => o with { Seconds = Int() },
                "--warmup" => o with { Warmup = Int() },
                "--rate" => o with { Rate = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--redis" => o with { Redis = Next() },
                "--postgres" => o with { Postgres = Next() },
                "--server" => o with { Server = Next() },
                "--hold" => o with { Hold = Int() },
                "--out" => o with { Out = Next() },
                "--label" => o with { Label = Next() },
                "--step-timeout-ms" => o with { StepTimeoutMs = Int() },
                "--alert-wait-seconds" => o with { AlertWaitSeconds = Int() },
                "--max-in-flight" => o with { MaxInFlight = Int() },
                "--server-log-level" => o with { ServerLogLevel = Next() },
                "--keep" => o with { Keep = true },
                "--one-ward" => o with { OneWard = true },
                "--broadcast" => o with { Broadcast = true },
                "--subscribers" => o with { Subscribers = Int() },
                "--kill-at" => o with { KillAt = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--subscribe-concurrency" => o with { SubscribeConcurrency = Int() },
                "--env" => o with { ServerEnv = [.. o.ServerEnv, Next()] },
                _ => throw new ArgumentException($"unknown argument {args[i]}"),
            };
        }
        // Bounded whatever is asked: this runs on shared machines.
        if (o.Residents is < 1 or > 2000) throw new ArgumentException("--residents must be 1..2000");
        if (o.Seconds is < 1 or > 3600 || o.Warmup is < 0 or > 600) throw new ArgumentException("--seconds 1..3600, --warmup 0..600");
        if (o.Rate is { } r && r is <= 0 or > 5000) throw new ArgumentException("--rate must be in (0, 5000]");
        if (o.Hold is < 0 or > 100_000) throw new ArgumentException("--hold must be 0..100000");
        if (o.Subscribers is < 1 or > 200_000 || o.KillAt is <= 0 or >= 1 || o.SubscribeConcurrency is < 1 or > 512)
            throw new ArgumentException("--subscribers 1..200000, --kill-at in (0, 1), --subscribe-concurrency 1..512");
        return o;
    }
}
