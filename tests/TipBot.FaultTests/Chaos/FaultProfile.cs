using TipBot.FaultTests.Infrastructure;

namespace TipBot.FaultTests.Chaos;

/// <summary>One fault at a time offset from the start of the load.</summary>
public abstract record FaultStep(TimeSpan At)
{
    /// <summary>SIGKILL a node ("a", "b", or "any" running one) and start it again after <paramref name="RestartAfter"/>.</summary>
    public sealed record Kill(TimeSpan At, string Node, TimeSpan RestartAfter) : FaultStep(At);

    public sealed record RestartRedis(TimeSpan At, TimeSpan DownFor) : FaultStep(At);

    public sealed record RestartPostgres(TimeSpan At, TimeSpan DownFor, bool Immediate) : FaultStep(At);

    public sealed record Telegram(TimeSpan At, TelegramFault Kind, TimeSpan For, TimeSpan? AnswerDelay = null) : FaultStep(At);

    /// <summary>Start node b and put it in the rotation: from then on residents' updates go to either node.</summary>
    public sealed record AddSecondNode(TimeSpan At) : FaultStep(At);
}

/// <summary>How big a run is. The short one runs in the normal test run; the long one on demand (TIPBOT_FAULTS=long).</summary>
public sealed record FaultProfile
{
    public required string Name { get; init; }
    public required int Residents { get; init; }
    /// <summary>Residents start one after another over this long.</summary>
    public required TimeSpan Spread { get; init; }
    public required TimeSpan RequestTimeout { get; init; }
    /// <summary>A resident (or officer) stops redelivering an update after this long without a 200.</summary>
    public required TimeSpan GiveUpAfter { get; init; }
    public required IReadOnlyList<FaultStep> Schedule { get; init; }
    /// <summary>After the load and the faults: how long everything may take to settle.</summary>
    public required TimeSpan DrainTimeout { get; init; }
    /// <summary>
    /// Whether the drain waits for alerts and outbox messages whose claim a killed process holds
    /// (re-sent only after SendOutboundJob.ClaimTimeout, a minute, plus up to a minute for the
    /// sweep). Both profiles wait; false reports them as durably pending instead.
    /// </summary>
    public required bool WaitOutStaleClaims { get; init; }
    /// <summary>Conversations:EffectsLease for the servers; null keeps the default (30 s).</summary>
    public TimeSpan? EffectsLease { get; init; }
    /// <summary>Everything stops by then, whatever happens.</summary>
    public required TimeSpan HardLimit { get; init; }
    public int Seed { get; init; } = Environment.TickCount;

    public int Kills => Schedule.OfType<FaultStep.Kill>().Count();

    public static FaultProfile FromEnvironment() =>
        (Environment.GetEnvironmentVariable("TIPBOT_FAULTS") ?? "short").Trim().ToLowerInvariant() switch
        {
            "long" => Long(SeedFromEnvironment()),
            _ => Short(SeedFromEnvironment()),
        };

    private static int SeedFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable("TIPBOT_FAULTS_SEED"), out var seed) ? seed : Random.Shared.Next(1, 1_000_000);

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    /// <summary>Three kills (the last of two nodes), a Redis restart, a PostgreSQL restart, bursts of 500, 429 and no answer, 20 residents.</summary>
    public static FaultProfile Short(int seed)
    {
        var random = new Random(seed);
        double J(double seconds) => seconds + random.NextDouble() * 1.5; // a little jitter: "random points"
        return new FaultProfile
        {
            Name = "short",
            Seed = seed,
            Residents = 20,
            Spread = S(22),
            RequestTimeout = S(8),
            GiveUpAfter = S(60),
            EffectsLease = S(10),
            Schedule =
            [
                new FaultStep.Kill(S(J(2)), "a", S(0.3)),
                new FaultStep.RestartRedis(S(J(6)), S(1.5)),
                new FaultStep.Kill(S(J(10)), "a", S(0.5)),
                new FaultStep.Telegram(S(J(13)), TelegramFault.ServerError, S(4)),
                new FaultStep.RestartPostgres(S(J(16)), S(1.5), Immediate: true),
                new FaultStep.Telegram(S(19.5), TelegramFault.TooManyRequests, S(2)),
                new FaultStep.AddSecondNode(S(19)),
                new FaultStep.Telegram(S(22), TelegramFault.Hang, S(3)),
                // Of two nodes, kill one and leave it down longer than the effects lease: the other carries the traffic.
                new FaultStep.Kill(S(J(24)), "a", S(11)),
            ],
            // Long enough for a killed process's claims to expire (SendOutboundJob.ClaimTimeout, 1 min) and the minutely sweep to resend them.
            DrainTimeout = S(160),
            WaitOutStaleClaims = true,
            HardLimit = TimeSpan.FromMinutes(4),
        };
    }

    /// <summary>
    /// Twenty-four kills at random points (single node first, then either of two), three Redis and
    /// three PostgreSQL restarts, bursts of 429, 500, no answer, slow answers, and one Telegram
    /// outage longer than the client's 100 s timeout; 360 residents over nine minutes.
    /// </summary>
    public static FaultProfile Long(int seed)
    {
        var random = new Random(seed);
        var load = TimeSpan.FromMinutes(9);
        var second = load * 0.35;
        TimeSpan Anywhere(double from = 0.02, double to = 0.95) => load * (from + random.NextDouble() * (to - from));
        var steps = new List<FaultStep> { new FaultStep.AddSecondNode(second) };
        for (var i = 0; i < 24; i++)
        {
            var at = Anywhere();
            var node = at < second + S(15) ? "a" : "any";
            // Mostly straight back, like a supervisor; now and then left down past the effects lease.
            var restart = random.NextDouble() < 0.15 && node == "any" ? S(35) : S(random.NextDouble() * 2);
            steps.Add(new FaultStep.Kill(at, node, restart));
        }
        for (var i = 0; i < 3; i++) steps.Add(new FaultStep.RestartRedis(Anywhere(), S(1 + random.NextDouble() * 4)));
        for (var i = 0; i < 3; i++) steps.Add(new FaultStep.RestartPostgres(Anywhere(), S(1 + random.NextDouble() * 4), Immediate: i != 1));
        // The double has one Telegram fault at a time: keep the others clear of the long outage.
        var outage = load * 0.6;
        TimeSpan OutsideOutage()
        {
            var at = Anywhere();
            return at > outage - S(60) && at < outage + S(120) ? at - S(180) : at;
        }
        for (var i = 0; i < 2; i++) steps.Add(new FaultStep.Telegram(OutsideOutage(), TelegramFault.TooManyRequests, S(6)));
        for (var i = 0; i < 2; i++) steps.Add(new FaultStep.Telegram(OutsideOutage(), TelegramFault.ServerError, S(10)));
        for (var i = 0; i < 2; i++) steps.Add(new FaultStep.Telegram(OutsideOutage(), TelegramFault.Hang, S(6)));
        steps.Add(new FaultStep.Telegram(OutsideOutage(), TelegramFault.SlowAnswer, S(20), AnswerDelay: S(40)));
        // Past the Telegram client's own timeout (HttpClient's default 100 s).
        steps.Add(new FaultStep.Telegram(outage, TelegramFault.Hang, S(110)));
        return new FaultProfile
        {
            Name = "long",
            Seed = seed,
            Residents = 360,
            Spread = load,
            RequestTimeout = S(15),
            GiveUpAfter = TimeSpan.FromMinutes(6),
            EffectsLease = null,
            Schedule = [.. steps.OrderBy(s => s.At)],
            DrainTimeout = TimeSpan.FromMinutes(6),
            WaitOutStaleClaims = true,
            HardLimit = TimeSpan.FromMinutes(35),
        };
    }
}
