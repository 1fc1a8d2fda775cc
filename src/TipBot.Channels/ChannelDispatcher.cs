using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using TipBot.Core.Messaging;

namespace TipBot.Channels;

/// <summary>
/// The one way out to any channel: picks the channel's sender and retries short blips in
/// process. Long waits are not ours to take: a failure that survives this pipeline is rethrown so
/// the caller can hand it to a Hangfire job, which owns long retries.
/// </summary>
/// <remarks>
/// Each channel has its own pipeline: a deadline on the whole send (so a claim taken before it can
/// safely expire after <see cref="ChannelResilience.SendDeadline"/>), two short retries, and a circuit breaker, so
/// that Telegram being down does not slow Zalo's replies and a dead platform is not hammered by
/// every job at once: while the circuit is open, sends fail at once as rate-limited, with the
/// pause left as their retry-after, and the jobs come back when it ends.
/// </remarks>
public sealed class ChannelDispatcher
{
    private static readonly TimeSpan LongestInlineWait = TimeSpan.FromSeconds(2);
    private readonly Dictionary<string, (IChannelSender Sender, ResiliencePipeline Pipeline, ResiliencePipeline Once)> _channels;
    private readonly ChannelResilience _resilience;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;

    public ChannelDispatcher(IEnumerable<IChannelSender> senders, TimeProvider clock, ChannelResilience? resilience = null, ILogger<ChannelDispatcher>? log = null)
    {
        _resilience = resilience ?? new ChannelResilience();
        _clock = clock;
        _log = log ?? NullLogger<ChannelDispatcher>.Instance;
        _channels = senders.ToDictionary(s => s.Channel, s =>
        {
            var breaker = Breaker(s.Channel, clock, _resilience);
            return (s, WithDeadline(s.Channel, clock, _resilience, breaker, retries: true), WithDeadline(s.Channel, clock, _resilience, breaker, retries: false));
        }, StringComparer.Ordinal);
    }

    public bool Supports(string channel) => _channels.ContainsKey(channel);

    public Task SendAsync(ChatAddress to, Reply reply, CancellationToken ct) => SendAsync(to, reply, retries: true, ct);

    /// <summary>
    /// One attempt only (the deadline and the channel's breaker still apply): for a caller that
    /// paces its own sends, so that a retry waits for its turn like any other message (a
    /// broadcast's retries at the platform's limit would otherwise come on top of the pace).
    /// </summary>
    public Task SendOnceAsync(ChatAddress to, Reply reply, CancellationToken ct) => SendAsync(to, reply, retries: false, ct);

    /// <remarks>
    /// The caller's cancellation stops the next attempt, never the one in flight: cut off half-way,
    /// nobody knows whether the platform took the message, and whoever finishes the work later
    /// sends it again. An attempt still ends at the channel's HTTP timeout and the send deadline.
    /// </remarks>
    private async Task SendAsync(ChatAddress to, Reply reply, bool retries, CancellationToken ct)
    {
        if (!_channels.TryGetValue(to.Channel, out var channel))
            throw new ChannelSendException(to.Channel, SendFailure.Permanent, "channel is not configured");
        try
        {
            await (retries ? channel.Pipeline : channel.Once).ExecuteAsync(static async (send, token) =>
            {
                send.ct.ThrowIfCancellationRequested();
                await send.self.AttemptAsync(send.Sender, send.ChatId, send.reply, token);
            }, (self: this, channel.Sender, to.ChatId, reply, ct), CancellationToken.None);
        }
        catch (BrokenCircuitException e)
        {
            Count(to.Channel, "CircuitOpen");
            // Like a rate limit: nothing is wrong with this message, the channel wants a pause.
            throw new ChannelSendException(to.Channel, SendFailure.RateLimited, "the channel is failing; sends are paused for a moment", e.RetryAfter ?? _resilience.BreakDuration, e);
        }
        catch (TimeoutRejectedException e)
        {
            Count(to.Channel, "Deadline");
            throw new ChannelSendException(to.Channel, SendFailure.Transient, $"no answer within {_resilience.SendDeadline.TotalSeconds:0} s", inner: e);
        }
        catch (ChannelSendException e)
        {
            Count(e.Channel, e.Failure.ToString());
            throw;
        }
    }

    /// <remarks>
    /// Each failed attempt is logged with how long it waited: an attempt that ran into its HTTP
    /// timeout may have been delivered all the same (the platform took it and never answered), so
    /// a copy the resident then gets twice is explained by this line, and an operator sees a
    /// platform that stopped answering before the breaker opens. No chat id: logs are not for
    /// personal data.
    /// </remarks>
    private async Task AttemptAsync(IChannelSender sender, string chatId, Reply reply, CancellationToken ct)
    {
        var started = _clock.GetTimestamp();
        try
        {
            await sender.SendAsync(chatId, reply, ct);
        }
        catch (ChannelSendException e) when (e.Failure is SendFailure.Transient or SendFailure.RateLimited)
        {
            _log.LogInformation("A {Channel} send attempt failed after {ElapsedMs} ms ({Failure}): {Message}",
                sender.Channel, (long)_clock.GetElapsedTime(started).TotalMilliseconds, e.Failure, e.Message);
            throw;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _log.LogWarning("A {Channel} send attempt was cut off by the send deadline after {ElapsedMs} ms",
                sender.Channel, (long)_clock.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }

    // Both kinds of send share one breaker per channel, so both count towards it and are paused by
    // it. Each attempt counts; only outages count (a blocked user's 403 or a 429 is the platform working).
    private static ResiliencePipeline Breaker(string channel, TimeProvider clock, ChannelResilience resilience) =>
        new ResiliencePipelineBuilder { Name = channel, TimeProvider = clock }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = resilience.FailureRatio,
                MinimumThroughput = resilience.MinimumThroughput,
                SamplingDuration = resilience.SamplingDuration,
                BreakDuration = resilience.BreakDuration,
                ShouldHandle = new PredicateBuilder().Handle<ChannelSendException>(e => e.Failure == SendFailure.Transient),
                OnOpened = _ => { Count(channel, "CircuitOpened"); return ValueTask.CompletedTask; },
            })
            .Build();

    // One deadline over the whole send, retries included: a deadline per attempt as well would
    // never fire first, and each costs a timer and a cancellation source per send.
    private static ResiliencePipeline WithDeadline(string channel, TimeProvider clock, ChannelResilience resilience, ResiliencePipeline breaker, bool retries)
    {
        var builder = new ResiliencePipelineBuilder { Name = channel, TimeProvider = clock }.AddTimeout(resilience.SendDeadline);
        if (retries)
            builder.AddRetry(new RetryStrategyOptions
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
            });
        return builder.AddPipeline(breaker).Build();
    }

    private static void Count(string channel, string failure) =>
        SendFailures.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("failure", failure));

    // Static: a meter per process is what operators scrape; the dispatcher is one per host.
    private static readonly System.Diagnostics.Metrics.Meter Meter = new("TipBot.Channels");
    private static readonly System.Diagnostics.Metrics.Counter<long> SendFailures =
        Meter.CreateCounter<long>("send_failures", description: "Sends that failed after the in-process retries, by channel and failure; CircuitOpened counts a channel's sends being paused");
}

/// <summary>
/// How long one send may take, retries included; and when a channel's sends are paused: half of
/// the attempts failing over the sampling window, with enough of them to judge.
/// </summary>
public sealed record ChannelResilience
{
    public TimeSpan SendDeadline { get; init; } = TimeSpan.FromSeconds(40);
    public double FailureRatio { get; init; } = 0.5;
    public int MinimumThroughput { get; init; } = 20;
    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(15);
}
