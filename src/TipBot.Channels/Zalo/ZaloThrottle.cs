using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace TipBot.Channels.Zalo;

/// <summary>
/// Zalo publishes no per-second limit it holds to (one source says 20 requests/s), so every
/// OpenAPI call of this process waits for a token at Zalo:MessagesPerSecond. A send that would
/// wait longer than a couple of seconds fails as rate-limited instead, and its job retries later.
/// </summary>
public sealed class ZaloThrottle : IDisposable
{
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(2);
    private readonly TokenBucketRateLimiter _limiter;

    public ZaloThrottle(IOptions<ZaloOptions> options)
    {
        var perSecond = Math.Max(1, options.Value.MessagesPerSecond);
        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perSecond,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = (int)(perSecond * LongestWait.TotalSeconds),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    public async Task WaitAsync(CancellationToken ct)
    {
        using var lease = await _limiter.AcquireAsync(1, ct);
        if (!lease.IsAcquired)
            throw new ChannelSendException(ZaloEventParser.Channel, SendFailure.RateLimited, "Zalo:MessagesPerSecond reached", TimeSpan.FromSeconds(1));
    }

    public void Dispose() => _limiter.Dispose();
}
