using System.ComponentModel.DataAnnotations;

namespace TipBot.Server.Hosting;

public sealed class TipBotOptions
{
    public const string Section = "TipBot";

    [Required, RegularExpression("^[A-Z]{1,6}$", ErrorMessage = "TipBot:TipCodePrefix must be 1-6 capital letters.")]
    public string TipCodePrefix { get; set; } = "TB";

    [RegularExpression("^(vi|en)$", ErrorMessage = "TipBot:DefaultCulture must be 'vi' or 'en'.")]
    public string DefaultCulture { get; set; } = "vi";

    /// <summary>
    /// Key for the keyed hashes that stand for platform ids in Redis keys. Set a long random value
    /// in production and keep it stable: changing it forgets conversations in progress.
    /// </summary>
    public string HashKey { get; set; } = "tipbot-development-hash-key";

    /// <summary>
    /// The service's public https root (e.g. https://tipbot.example.vn). Messenger and Zalo fetch a
    /// notice image uploaded in the console from there; without it they get the notice's text only.
    /// </summary>
    public string? PublicBaseUrl { get; set; }
}

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    private static readonly int[] DefaultRetryDelays = [5, 15, 30, 60, 120, 300, 600, 1800, 3600, 3600];

    /// <summary>
    /// Delays between Hangfire's automatic retries of a failed job. Null by default because the
    /// configuration binder appends to an array it finds, rather than replacing it.
    /// </summary>
    public int[]? RetryDelaysSeconds { get; set; }

    public int[] RetryDelays => RetryDelaysSeconds is { Length: > 0 } configured ? configured : DefaultRetryDelays;

    /// <summary>Jobs wait on the network, not the CPU: 16 measured better than 4 on 2 cores.</summary>
    public int WorkerCount { get; set; } = Math.Max(16, Environment.ProcessorCount * 4);

    /// <summary>
    /// Tips routed and alerted at once by the in-process router (TipRouter); each mostly waits on the
    /// database and the channel, holding no thread. 128, not 32: each alert's mark waits for the
    /// others' (MarkWriter), so on SQLite 32 workers capped the router below the tips a burst
    /// submits and alerts fell a second behind (docs/benchmarks.md, thirteenth session).
    /// </summary>
    public int RouterWorkers { get; set; } = 128;

    /// <summary>How long a stopping server lets running jobs finish before they are requeued.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Work the records say is pending and older than this is re-enqueued by the sweep.</summary>
    public TimeSpan SweepGrace { get; set; } = TimeSpan.FromSeconds(30);
}
