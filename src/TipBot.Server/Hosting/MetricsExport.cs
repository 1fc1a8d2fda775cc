using Prometheus;

namespace TipBot.Server.Hosting;

/// <summary>
/// Publishes .NET meters on /metrics through prometheus-net's meter adapter, started here at
/// start-up: prometheus-net's default adapter only starts on the first scrape, so everything
/// counted before it (after every restart) was lost, and a node nobody had scraped yet showed none
/// of TipBot's metrics at all. Once per process, as the meters and the registry are.
/// </summary>
public static class MetricsExport
{
    /// <summary>
    /// The platform's meters that answer an operator's question: the runtime (GC, thread pool,
    /// exceptions; read at each scrape, free between), request rates and latency, connections,
    /// rate-limit rejections, unhandled exceptions. A request-level instrument is measured on every
    /// request, so the rest stay off: ASP.NET Core's memory pool, routing and authentication meters
    /// cost about 0.5 % of the server's CPU under load and tell nothing the others do not. Nor may
    /// a third-party meter's odd instrument stop the export.
    /// </summary>
    private static readonly string[] PlatformMeters =
    [
        "System.Runtime",
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.Diagnostics",
    ];

    // Turns take milliseconds: 1 ms to 32 s, where the adapter's default starts at 10 ms.
    private static readonly double[] SecondsBuckets = Histogram.ExponentialBuckets(0.001, 2, 16);

    private static readonly Lazy<IDisposable> Adapter = new(() =>
    {
        // The runtime's figures come from its meter above, not from event counters: listening to
        // those switches on every Informational event of their sources, HttpClient's and Kestrel's
        // per-request events among them (about 0.8 % of the CPU under load).
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressMeters = true, SuppressEventCounters = true });
        return MeterAdapter.StartListening(new MeterAdapterOptions
        {
            InstrumentFilterPredicate = i => IsExported(i.Meter.Name),
            // Our label sets are bounded, and a quiet hour must not make a count vanish and restart at
            // zero: the adapter's default drops a series after 5 idle minutes; a day is its longest.
            MetricsExpireAfter = TimeSpan.FromDays(1),
            ResolveHistogramBuckets = i => i.Unit == "s" ? SecondsBuckets : MeterAdapterOptions.DefaultHistogramBuckets,
        });
    });

    public static void Start() => _ = Adapter.Value;

    private static bool IsExported(string meter) =>
        meter == TipBotMetrics.MeterName || meter.StartsWith(TipBotMetrics.MeterName + ".", StringComparison.Ordinal)
        || PlatformMeters.Contains(meter, StringComparer.Ordinal);
}
