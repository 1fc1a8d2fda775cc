using TipBot.Core.Messaging;

namespace TipBot.Channels;

/// <summary>Sends messages on one channel, rendering abstract replies to the channel's own form.</summary>
public interface IChannelSender
{
    string Channel { get; }

    Task SendAsync(string chatId, Reply reply, CancellationToken ct);
}

public enum SendFailure
{
    /// <summary>A blip: the same send may work in a moment.</summary>
    Transient,
    /// <summary>The platform asks us to slow down; <see cref="ChannelSendException.RetryAfter"/> says how long.</summary>
    RateLimited,
    /// <summary>This recipient cannot be reached this way (blocked the bot, unfollowed, banned).</summary>
    Permanent,
    /// <summary>
    /// The platform takes messages to this recipient only after they write again (Messenger's
    /// 24-hour window, Zalo's 7-day consultation window): keep it until they do.
    /// </summary>
    OutsideWindow,
}

public sealed class ChannelSendException(string channel, SendFailure failure, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception($"{channel}: {message}", inner)
{
    public string Channel { get; } = channel;
    public SendFailure Failure { get; } = failure;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
