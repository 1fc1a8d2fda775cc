using System.Diagnostics.Metrics;

namespace TipBot.Server.Hosting;

/// <summary>
/// What operators watch, as .NET metrics (System.Diagnostics.Metrics), published on /metrics in
/// Prometheus format by prometheus-net's meter adapter (<see cref="MetricsExport"/>), named meter
/// and instrument together: "turns" is exported as tipbot_turns. Channel send failures are counted
/// by the channels' own meter ("TipBot.Channels"). The meter and its instruments are one per
/// process, as the scrape endpoint is (and the exporter's listener is process-wide).
/// </summary>
public sealed class TipBotMetrics
{
    public const string MeterName = "TipBot";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> TipsReceivedCounter = Meter.CreateCounter<long>("tips_received", description: "Tips recorded");
    private static readonly Counter<long> TipsRoutedCounter = Meter.CreateCounter<long>("tips_routed", description: "Tips assigned to an officer for the first time");
    private static readonly Counter<long> EscalationsCounter = Meter.CreateCounter<long>("escalations", description: "Alerts moved to the next in line after no acknowledgement");
    private static readonly Counter<long> TurnsCounter = Meter.CreateCounter<long>("turns", description: "Inbound messages by channel and outcome");
    private static readonly Histogram<double> TurnSecondsHistogram = Meter.CreateHistogram<double>("turn_duration_seconds", unit: "s", description: "Webhook turn latency: load, dialog, commit, commands, replies");

    public Counter<long> TipsReceived => TipsReceivedCounter;
    public Counter<long> TipsRouted => TipsRoutedCounter;
    public Counter<long> Escalations => EscalationsCounter;
    public Counter<long> Turns => TurnsCounter;
    public Histogram<double> TurnSeconds => TurnSecondsHistogram;
}
