using Polly;
using Polly.Retry;
using TipBot.Core.Messaging;

namespace TipBot.Channels;

/// <summary>
/// The one way out to any channel: picks the channel's sender and retries short blips in
/// process. Long waits are not ours to take: a failure that survives this pipeline is rethrown so
/// the caller can hand it to a Hangfire job, which owns long retries.
/// </summary>
public sealed class ChannelDispatcher
{
    private static readonly TimeSpan LongestInlineWait = TimeSpan.FromSeconds(2);
    private readonly Dictionary<string, IChannelSender> _senders;
    private readonly ResiliencePipeline _pipeline;

    public ChannelDispatcher(IEnumerable<IChannelSender> senders, TimeProvider clock)
    {
        _senders = senders.ToDictionary(s => s.Channel, StringComparer.Ordinal);
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = 2,
                Delay = TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = new PredicateBuilder().Handle<ChannelSendException>(e =>
                    e.Failure == SendFailure.Transient ||
                    (e.Failure == SendFailure.RateLimited && e.RetryAfter <= LongestInlineWait)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Exception is ChannelSendException { RetryAfter: { } wait } ? wait : (TimeSpan?)null),
            })
            .Build();
    }

    public bool Supports(string channel) => _senders.ContainsKey(channel);

    public async Task SendAsync(ChatAddress to, Reply reply, CancellationToken ct)
    {
        if (!_senders.TryGetValue(to.Channel, out var sender))
            throw new ChannelSendException(to.Channel, SendFailure.Permanent, "channel is not configured");
        try
        {
            await _pipeline.ExecuteAsync(async token => await sender.SendAsync(to.ChatId, reply, token), ct);
        }
        catch (ChannelSendException e)
        {
            SendFailures.Add(1, new KeyValuePair<string, object?>("channel", e.Channel), new KeyValuePair<string, object?>("failure", e.Failure.ToString()));
            throw;
        }
    }

    // Static: a meter per process is what operators scrape; the dispatcher is one per host.
    private static readonly System.Diagnostics.Metrics.Meter Meter = new("TipBot.Channels");
    private static readonly System.Diagnostics.Metrics.Counter<long> SendFailures =
        Meter.CreateCounter<long>("tipbot_send_failures", description: "Sends that failed after the in-process retries, by channel and failure");
}
