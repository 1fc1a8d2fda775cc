using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using TipBot.Core.Messaging;

namespace TipBot.Channels.Tests;

public class ChannelDispatcherTests
{
    private static readonly Reply Hello = new("Xin chào", [new Button("Báo tin", "menu:report")]);
    private static readonly ChatAddress Lan = new("telegram", "1111111");

    /// <summary>Fails as scripted, then succeeds; records every call.</summary>
    private sealed class ScriptedSender(string channel, params ChannelSendException[] failures) : IChannelSender
    {
        private readonly Queue<ChannelSendException> _failures = new(failures);
        public List<(string ChatId, Reply Reply)> Calls { get; } = [];
        public string Channel => channel;

        public Task SendAsync(string chatId, Reply reply, CancellationToken ct)
        {
            Calls.Add((chatId, reply));
            return _failures.TryDequeue(out var failure) ? Task.FromException(failure) : Task.CompletedTask;
        }
    }

    private static ChannelSendException Failure(SendFailure kind, TimeSpan? retryAfter = null) =>
        new("telegram", kind, kind.ToString(), retryAfter);

    [Fact]
    public async Task Transient_failures_are_retried_until_the_send_succeeds()
    {
        var sender = new ScriptedSender("telegram", Failure(SendFailure.Transient), Failure(SendFailure.Transient));
        var dispatcher = new ChannelDispatcher([sender], TimeProvider.System);

        await dispatcher.SendAsync(Lan, Hello, CancellationToken.None);

        Assert.Equal(3, sender.Calls.Count);
        Assert.All(sender.Calls, c => Assert.Equal(("1111111", Hello), c));
    }

    [Fact]
    public async Task Transient_failures_beyond_two_retries_are_rethrown()
    {
        var sender = new ScriptedSender("telegram", Failure(SendFailure.Transient), Failure(SendFailure.Transient), Failure(SendFailure.Transient));
        var dispatcher = new ChannelDispatcher([sender], TimeProvider.System);

        var error = await Assert.ThrowsAsync<ChannelSendException>(() => dispatcher.SendAsync(Lan, Hello, CancellationToken.None));

        Assert.Equal(SendFailure.Transient, error.Failure);
        Assert.Equal(3, sender.Calls.Count);
    }

    [Fact]
    public async Task Permanent_failure_is_thrown_at_once()
    {
        var sender = new ScriptedSender("telegram", Failure(SendFailure.Permanent));
        var dispatcher = new ChannelDispatcher([sender], TimeProvider.System);

        var error = await Assert.ThrowsAsync<ChannelSendException>(() => dispatcher.SendAsync(Lan, Hello, CancellationToken.None));

        Assert.Equal(SendFailure.Permanent, error.Failure);
        Assert.Single(sender.Calls);
    }

    [Fact]
    public async Task Long_rate_limit_is_rethrown_at_once_for_the_job_to_reschedule()
    {
        var sender = new ScriptedSender("telegram", Failure(SendFailure.RateLimited, TimeSpan.FromSeconds(30)));
        var dispatcher = new ChannelDispatcher([sender], TimeProvider.System);
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ChannelSendException>(() => dispatcher.SendAsync(Lan, Hello, CancellationToken.None));

        Assert.Equal(SendFailure.RateLimited, error.Failure);
        Assert.Equal(TimeSpan.FromSeconds(30), error.RetryAfter);
        Assert.Single(sender.Calls);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"waited {clock.Elapsed} before rethrowing");
    }

    [Fact]
    public async Task Short_rate_limit_is_waited_out_and_retried()
    {
        var sender = new ScriptedSender("telegram", Failure(SendFailure.RateLimited, TimeSpan.FromMilliseconds(300)));
        var dispatcher = new ChannelDispatcher([sender], TimeProvider.System);
        var clock = Stopwatch.StartNew();

        await dispatcher.SendAsync(Lan, Hello, CancellationToken.None);

        Assert.Equal(2, sender.Calls.Count);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"retried after only {clock.Elapsed}");
    }

    [Fact]
    public async Task Unknown_channel_is_a_permanent_failure()
    {
        var sender = new ScriptedSender("telegram");
        var dispatcher = new ChannelDispatcher([sender], TimeProvider.System);

        var error = await Assert.ThrowsAsync<ChannelSendException>(() => dispatcher.SendAsync(new ChatAddress("zalo", "6142494823"), Hello, CancellationToken.None));

        Assert.Equal(SendFailure.Permanent, error.Failure);
        Assert.Equal("zalo", error.Channel);
        Assert.Empty(sender.Calls);
        Assert.True(dispatcher.Supports("telegram"));
        Assert.False(dispatcher.Supports("zalo"));
    }

    /// <summary>Always fails as told, or never answers; records every call.</summary>
    private sealed class BrokenSender(string channel, Func<CancellationToken, Task> send) : IChannelSender
    {
        public int Calls;
        public string Channel => channel;

        public Task SendAsync(string chatId, Reply reply, CancellationToken ct)
        {
            Interlocked.Increment(ref Calls);
            return send(ct);
        }
    }

    private static readonly ChannelResilience QuickBreaker = new()
    {
        MinimumThroughput = 6, SamplingDuration = TimeSpan.FromSeconds(30), BreakDuration = TimeSpan.FromMinutes(5),
    };

    [Fact]
    public async Task A_channel_in_an_outage_is_paused_while_the_other_channels_keep_sending()
    {
        var telegram = new BrokenSender("telegram", _ => Task.FromException(Failure(SendFailure.Transient)));
        var zalo = new ScriptedSender("zalo");
        var dispatcher = new ChannelDispatcher([telegram, zalo], TimeProvider.System, QuickBreaker);

        // Two sends, three attempts each: six failures in the window open Telegram's circuit.
        for (var i = 0; i < 2; i++)
            await Assert.ThrowsAsync<ChannelSendException>(() => dispatcher.SendAsync(Lan, Hello, CancellationToken.None));
        Assert.Equal(6, telegram.Calls);

        var paused = await Assert.ThrowsAsync<ChannelSendException>(() => dispatcher.SendAsync(Lan, Hello, CancellationToken.None));
        Assert.Equal(SendFailure.RateLimited, paused.Failure); // a pause, with the time left as its retry-after
        Assert.InRange(paused.RetryAfter!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
        Assert.Equal(6, telegram.Calls); // not called while paused: the jobs come back when the pause ends

        await dispatcher.SendAsync(new ChatAddress("zalo", "6142494823"), Hello, CancellationToken.None);
        Assert.Single(zalo.Calls);
    }

    [Fact]
    public async Task Blocked_users_and_rate_limits_do_not_pause_a_channel()
    {
        var telegram = new BrokenSender("telegram", _ => Task.FromException(Failure(SendFailure.Permanent)));
        var dispatcher = new ChannelDispatcher([telegram], TimeProvider.System, QuickBreaker);

        for (var i = 0; i < 20; i++)
            await Assert.ThrowsAsync<ChannelSendException>(() => dispatcher.SendAsync(Lan, Hello, CancellationToken.None));

        Assert.Equal(20, telegram.Calls); // every send reached the platform
    }

    [Fact]
    public async Task A_send_that_never_answers_ends_at_the_deadline_as_a_transient_failure()
    {
        var hanging = new BrokenSender("telegram", ct => Task.Delay(Timeout.Infinite, ct));
        var dispatcher = new ChannelDispatcher([hanging], TimeProvider.System, new ChannelResilience { SendDeadline = TimeSpan.FromMilliseconds(300) });
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ChannelSendException>(() => dispatcher.SendAsync(Lan, Hello, CancellationToken.None));

        Assert.Equal(SendFailure.Transient, error.Failure);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task The_callers_cancellation_lets_the_attempt_in_flight_finish()
    {
        // Cut off half-way, nobody would know whether the platform took the message.
        using var cancel = new CancellationTokenSource();
        var platformAnswers = new TaskCompletionSource();
        var slow = new BrokenSender("telegram", async ct =>
        {
            cancel.Cancel();
            await platformAnswers.Task.WaitAsync(ct);
        });
        var dispatcher = new ChannelDispatcher([slow], TimeProvider.System, QuickBreaker);

        var sending = dispatcher.SendAsync(Lan, Hello, cancel.Token);
        Assert.False(sending.IsCompleted);
        platformAnswers.SetResult();

        await sending; // delivered, and told so: the caller records it
        Assert.Equal(1, slow.Calls);
    }

    [Fact]
    public async Task The_callers_cancellation_stops_the_retries_and_is_not_a_channel_failure()
    {
        using var cancel = new CancellationTokenSource();
        var failing = new BrokenSender("telegram", _ =>
        {
            cancel.Cancel();
            return Task.FromException(Failure(SendFailure.Transient));
        });
        var dispatcher = new ChannelDispatcher([failing], TimeProvider.System, QuickBreaker);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dispatcher.SendAsync(Lan, Hello, cancel.Token));
        Assert.Equal(1, failing.Calls);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dispatcher.SendAsync(Lan, Hello, cancel.Token));
        Assert.Equal(1, failing.Calls); // already cancelled: the platform is not called at all
    }

    [Fact]
    public async Task An_attempt_that_got_no_answer_is_logged_with_how_long_it_waited_and_without_the_chat()
    {
        var clock = new FakeTimeProvider();
        var log = new FakeLogger<ChannelDispatcher>();
        var timingOut = new BrokenSender("telegram", _ =>
        {
            clock.Advance(TimeSpan.FromSeconds(10)); // the HTTP client's timeout, spent waiting for the platform
            return Task.FromException(Failure(SendFailure.Transient));
        });
        var dispatcher = new ChannelDispatcher([timingOut], clock, QuickBreaker, log);

        await Assert.ThrowsAsync<ChannelSendException>(() => dispatcher.SendOnceAsync(Lan, Hello, CancellationToken.None));

        var line = Assert.Single(log.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Equal("A telegram send attempt failed after 10000 ms (Transient): telegram: Transient", line.Message);
        Assert.DoesNotContain(Lan.ChatId, line.Message);
    }

    [Fact]
    public async Task An_attempt_cut_off_by_the_send_deadline_is_logged_as_a_warning()
    {
        var log = new FakeLogger<ChannelDispatcher>();
        var hanging = new BrokenSender("telegram", ct => Task.Delay(Timeout.Infinite, ct));
        var dispatcher = new ChannelDispatcher([hanging], TimeProvider.System, new ChannelResilience { SendDeadline = TimeSpan.FromMilliseconds(200) }, log);

        await Assert.ThrowsAsync<ChannelSendException>(() => dispatcher.SendOnceAsync(Lan, Hello, CancellationToken.None));

        var line = Assert.Single(log.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.StartsWith("A telegram send attempt was cut off by the send deadline after ", line.Message);
    }

    [Fact]
    public async Task Successful_and_permanently_refused_attempts_are_not_logged_here()
    {
        var log = new FakeLogger<ChannelDispatcher>();
        var refusing = new ScriptedSender("telegram", Failure(SendFailure.Permanent));
        var dispatcher = new ChannelDispatcher([refusing], TimeProvider.System, QuickBreaker, log);

        await Assert.ThrowsAsync<ChannelSendException>(() => dispatcher.SendAsync(Lan, Hello, CancellationToken.None));
        await dispatcher.SendAsync(Lan, Hello, CancellationToken.None);

        Assert.Empty(log.Collector.GetSnapshot());
    }
}
