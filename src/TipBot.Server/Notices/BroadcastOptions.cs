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

    /// <summary>How many deliveries a worker claims at a time.</summary>
    public int BatchSize { get; set; } = 200;

    public double RateFor(string channel) => channel switch
    {
        "telegram" => Telegram.MessagesPerSecond,
        "messenger" => Messenger.MessagesPerSecond,
        "zalo" => Zalo.MessagesPerSecond,
        _ => Web.MessagesPerSecond,
    };

    public sealed class ChannelPace
    {
        public double MessagesPerSecond { get; set; } = DefaultMessagesPerSecond;
    }
}
