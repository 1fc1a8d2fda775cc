using System.Diagnostics;
using Microsoft.Extensions.Options;
using TipBot.Channels.Zalo;

namespace TipBot.Channels.Tests.Zalo;

public class ZaloThrottleTests
{
    [Fact]
    public async Task Calls_beyond_the_rate_wait_their_turn_and_beyond_two_seconds_of_waiting_are_refused()
    {
        using var throttle = new ZaloThrottle(Options.Create(new ZaloOptions { MessagesPerSecond = 5 }));
        var clock = Stopwatch.StartNew();

        // 5 at once, 10 queued for the next two seconds, the 16th refused.
        var calls = Enumerable.Range(0, 16).Select(_ => Record(throttle.WaitAsync(CancellationToken.None))).ToList();
        var outcomes = await Task.WhenAll(calls);

        Assert.Equal(15, outcomes.Count(o => o.Error is null));
        var refused = Assert.Single(outcomes, o => o.Error is not null).Error!;
        Assert.Equal(SendFailure.RateLimited, refused.Failure);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.5), $"15 calls at 5/s went through in {clock.Elapsed}");
        Assert.Equal(5, outcomes.Count(o => o.Error is null && o.At < TimeSpan.FromMilliseconds(500)));
    }

    private static async Task<(TimeSpan At, ChannelSendException? Error)> Record(Task wait)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await wait;
            return (clock.Elapsed, null);
        }
        catch (ChannelSendException e)
        {
            return (clock.Elapsed, e);
        }
    }
}
