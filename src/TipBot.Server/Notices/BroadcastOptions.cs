namespace TipBot.Server.Notices;

/// <summary>Broadcast:{Channel}:MessagesPerSecond — the pace of safety-notice fan-out per channel.</summary>
public sealed class BroadcastOptions
{
    public const string Section = "Broadcast";
    public const double DefaultMessagesPerSecond = 30;

    public ChannelPace Telegram { get; set; } = new();
    public ChannelPace Messenger { get; set; } = new();
    public ChannelPace Zalo { get; set; } = new();
    public ChannelPace Web { get; set; } = new() { MessagesPerSecond = 1000 };

    /// <summary>
    /// How many deliveries a worker claims at a time. Unset: about one second's worth at the
    /// channel's pace (20..1000), so a killed worker strands little and the claims stay cheap.
    /// </summary>
    public int? BatchSize { get; set; }

    /// <summary>
    /// A worker's hold on the deliveries it claimed. The live worker renews it every fifth of it
    /// while it sends; a killed worker's deliveries become claimable this long after its last renewal.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How far under the configured rate the fan-out paces itself (0.05: 950/s of 1,000/s). The
    /// platform counts messages when they reach it; jitter between our send and its arrival
    /// (thread pool, network, GC) can crowd a second, and this margin absorbs up to
    /// <c>margin × 1 s</c> of it (50 ms at 5 %) without a 429.
    /// </summary>
    public double PaceMargin { get; set; } = 0.05;

    /// <summary>Sends in flight at once per worker. Unset: a tenth of a second's worth at the pace (16..256), enough for the platform's round trip.</summary>
    public int? MaxParallelSends { get; set; }

    public double RateFor(string channel) => channel switch
    {
        "telegram" => Telegram.MessagesPerSecond,
        "messenger" => Messenger.MessagesPerSecond,
        "zalo" => Zalo.MessagesPerSecond,
        _ => Web.MessagesPerSecond,
    };

    /// <summary>The pace actually kept: the configured rate less the margin.</summary>
    public double PaceFor(string channel) => RateFor(channel) * (1 - Math.Clamp(PaceMargin, 0, 0.5));

    public int BatchSizeFor(double pace) => BatchSize is int size && size > 0 ? size : Math.Clamp((int)Math.Ceiling(pace), 20, 1000);

    public int ParallelSendsFor(double pace) => MaxParallelSends is int n && n > 0 ? n : Math.Clamp((int)Math.Ceiling(pace / 10), 16, 256);

    public sealed class ChannelPace
    {
        public double MessagesPerSecond { get; set; } = DefaultMessagesPerSecond;
    }
}
