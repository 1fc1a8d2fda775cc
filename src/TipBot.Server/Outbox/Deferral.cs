using TipBot.Channels;

namespace TipBot.Server.Outbox;

/// <summary>
/// A send the platform asked us to hold back (a 429's retry_after, a channel paused by its
/// circuit breaker) is not a failure of the job: it is scheduled again for when the wait is over,
/// without using up one of Hangfire's attempts — a long outage would otherwise exhaust them all.
/// </summary>
public static class Deferral
{
    private static readonly TimeSpan Shortest = TimeSpan.FromSeconds(1);

    public static TimeSpan? Of(Exception e) =>
        e is ChannelSendException { Failure: SendFailure.RateLimited, RetryAfter: { } wait } ? (wait < Shortest ? Shortest : wait) : null;
}
