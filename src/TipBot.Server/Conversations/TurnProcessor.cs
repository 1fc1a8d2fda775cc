using TipBot.Channels;
using TipBot.Core.Messaging;
using TipBot.Dialogs.Engine;
using TipBot.Server.Directory;
using TipBot.Server.Outbox;
using TipBot.Server.Persistence;
using TipBot.Server.Tips;

namespace TipBot.Server.Conversations;

/// <summary>
/// What became of an inbound message. <see cref="Postponed"/>: a store could not be reached (or
/// the conversation was too busy); nothing is lost, the platform is asked to deliver it again.
/// </summary>
public enum TurnOutcome { Processed, Duplicate, Throttled, Postponed }

/// <summary>
/// One inbound message, end to end: read state and delivery together, run the dialog turn,
/// commit state + delivery id + effects atomically (redoing the turn if another turn of the same
/// conversation committed first), then apply the commands and send the replies.
/// </summary>
public sealed class TurnProcessor(
    IConversationStore store,
    ConversationKeys keys,
    DialogEngine engine,
    TurnServicesFactory services,
    CommandApplier commands,
    ChannelDispatcher dispatcher,
    OutboxWriter outbox,
    IServiceScopeFactory scopes,
    Microsoft.Extensions.Options.IOptions<ConversationStoreOptions> options,
    TipBot.Server.Hosting.TipBotMetrics metrics,
    ILogger<TurnProcessor> log)
{
    private const int MaxAttempts = 8;

    public async Task<TurnOutcome> HandleAsync(InboundMessage message, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var activity = TipBot.Server.Hosting.TipBotTracing.Source.StartActivity("turn");
        activity?.SetTag("tipbot.channel", message.Channel);
        var outcome = await HandleOrPostponeAsync(message, ct);
        activity?.SetTag("tipbot.outcome", outcome.ToString());
        if (outcome == TurnOutcome.Processed) await ReleaseWaitingAsync(message, ct);
        var channel = new KeyValuePair<string, object?>("channel", message.Channel);
        metrics.Turns.Add(1, channel, new KeyValuePair<string, object?>("outcome", outcome.ToString()));
        metrics.TurnSeconds.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds, channel);
        return outcome;
    }

    private async Task<TurnOutcome> HandleOrPostponeAsync(InboundMessage message, CancellationToken ct)
    {
        try
        {
            return await HandleTurnAsync(message, ct);
        }
        catch (Exception e) when (TipBot.Server.Hosting.StoreOutage.Caused(e))
        {
            log.LogWarning("A {Channel} message is left for the platform to deliver again: {Error}: {Message}", message.Channel, e.GetType().Name, e.GetBaseException().Message);
            return TurnOutcome.Postponed;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            log.LogWarning("The replies of a {Channel} message took longer than the effects deadline; the rest wait for the platform to deliver it again", message.Channel);
            return TurnOutcome.Postponed;
        }
    }

    // They wrote, so the platform's reply window is open again: send what waited for it. Best
    // effort: the messages stay waiting for their next message if this fails.
    private async Task ReleaseWaitingAsync(InboundMessage message, CancellationToken ct)
    {
        if (!WaitingMessages.HasWindow(message.Channel)) return;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<WaitingMessages>().ReleaseAsync(new ChatAddress(message.Channel, message.ChatId), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Releasing the messages waiting for a {Channel} chat failed: {Error}", message.Channel, e.GetType().Name);
        }
    }

    private async Task<TurnOutcome> HandleTurnAsync(InboundMessage message, CancellationToken ct)
    {
        using var newWork = WriteOrder.NewWork(); // the embedded store writes routing's and alerts' rows first
        var conversationKey = keys.Conversation(message.Channel, message.ChatId);
        var deliveryKey = keys.Delivery(message.Channel, message.DeliveryId);
        // The count and the first read go to Redis together: one round trip's wait, not two.
        var counted = CountIfLimitedAsync(conversationKey);
        var firstLoad = store.LoadAsync(conversationKey, deliveryKey);
        if (await IsFloodingAsync(message, await counted, ct))
        {
            await firstLoad;
            return TurnOutcome.Throttled;
        }

        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var snapshot = attempt == 1 ? await firstLoad : await store.LoadAsync(conversationKey, deliveryKey);
            if (snapshot.DeliverySeen)
            {
                if (snapshot.Pending is { } unfinished) await FinishIfLeasedAsync(unfinished);
                return TurnOutcome.Duplicate;
            }

            if (snapshot.Conversation.Discarded && attempt == 1)
                log.LogWarning("A stored {Channel} conversation could not be read (a schema this version does not know, or keys this deployment lacks); it starts over", message.Channel);
            var turnServices = await services.CreateAsync(ct);
            var result = await engine.RunTurnAsync(snapshot.Conversation.State, message, turnServices);
            var effects = new TurnEffects(new ChatAddress(message.Channel, message.ChatId), result.Replies, result.Commands);

            switch (await store.TryCommitAsync(conversationKey, snapshot.Conversation.Version, result.State, deliveryKey, effects))
            {
                case CommitOutcome.Committed:
                    if (!effects.IsEmpty) await FinishAsync(new PendingTurn(deliveryKey, effects, 0), takenOver: false);
                    return TurnOutcome.Processed;
                case CommitOutcome.DuplicateDelivery:
                    return TurnOutcome.Duplicate; // the same delivery, processed concurrently
                case CommitOutcome.VersionConflict:
                    log.LogDebug("Turn redone after a concurrent turn of the same conversation (attempt {Attempt})", attempt);
                    continue;
            }
        }
        log.LogWarning("A {Channel} message is left for the platform to deliver again: it lost {Attempts} races with other turns of its conversation", message.Channel, MaxAttempts);
        return TurnOutcome.Postponed;
    }

    private Task MarkSentAsync(string deliveryKey, int count) =>
        AfterSend.RecordAsync(() => store.MarkRepliesSentAsync(deliveryKey, count), log, $"reply {count} of a turn");

    private Task<long> CountIfLimitedAsync(string conversationKey) =>
        options.Value.MessagesPerMinute > 0 ? store.CountMessageAsync(conversationKey, TimeSpan.FromMinutes(1)) : Task.FromResult(0L);

    private async Task<bool> IsFloodingAsync(InboundMessage message, long count, CancellationToken ct)
    {
        var limit = options.Value.MessagesPerMinute;
        if (limit <= 0 || count <= limit) return false;
        if (count == limit + 1)
        {
            log.LogWarning("Conversation {Conversation} throttled after {Limit} messages in a minute", keys.Conversation(message.Channel, message.ChatId), limit);
            try
            {
                var culture = Dialogs.Resources.Texts.Normalize(message.LanguageHint);
                await dispatcher.SendAsync(new ChatAddress(message.Channel, message.ChatId), new Reply(Dialogs.Resources.Texts.Get(culture, "SlowDown")), ct);
            }
            catch (ChannelSendException e)
            {
                log.LogInformation("The slow-down notice was not delivered: {Failure}", e.Failure);
            }
        }
        return true;
    }

    /// <summary>
    /// Finishes a committed turn whose effects were left pending (a crash, a redelivery, the sweep),
    /// from the effects as they stand when leased: <paramref name="pending"/> may be an older look.
    /// </summary>
    public async Task FinishIfLeasedAsync(PendingTurn pending)
    {
        if (await store.TryLeaseAsync(pending.DeliveryKey) is { } current) await FinishAsync(current, takenOver: true);
    }

    /// <summary>
    /// Committed effects are finished on their own clock, not the request's: a platform that hangs
    /// up must not cancel a send half-way and leave it to be repeated by the redelivery. After the
    /// effects deadline no new send is started (one in flight runs to its answer), and the lease is
    /// kept for as long as this runs, so nobody else starts on the same effects meanwhile.
    /// <paramref name="takenOver"/>: an earlier finisher may have handed replies to the outbox and
    /// died (or lost the store) before recording it; those are the outbox's to send, not ours.
    /// </summary>
    private async Task FinishAsync(PendingTurn pending, bool takenOver)
    {
        using var deadline = new CancellationTokenSource(options.Value.EffectsDeadline); // disposed: its timer must not outlive the turn
        using var finished = new CancellationTokenSource();
        var leaseKept = KeepLeaseAsync(pending.DeliveryKey, finished.Token);
        var ct = deadline.Token;
        var completed = false;
        try
        {
            var replies = pending.Effects.Replies;
            foreach (var command in pending.Effects.Commands)
            {
                if (await commands.ApplyAsync(command, ct) is var (proposed, actual))
                    replies = replies.Select(r => r with { Text = r.Text.Replace(proposed, actual, StringComparison.Ordinal) }).ToList();
            }

            var handedOver = takenOver ? await HandedToOutboxAsync(pending, replies.Count, ct) : null;
            for (var i = pending.RepliesSent; i < replies.Count; i++)
            {
                // A reply sent now could not be recorded as sent, and would go out again with the redelivery.
                if (!store.IsAvailable) throw new ConversationStoreUnavailableException();
                try
                {
                    if (handedOver?.Contains(OutboxKey(pending.DeliveryKey, i)) == true)
                        log.LogInformation("Reply {Index} of delivery {Delivery} was handed to the outbox before: left to it", i, pending.DeliveryKey);
                    else
                        await dispatcher.SendAsync(pending.Effects.To, replies[i], ct);
                }
                catch (ChannelSendException e) when (e.Failure is SendFailure.Transient or SendFailure.RateLimited)
                {
                    // Still failing after the in-process retries: Hangfire takes over, nothing is lost.
                    log.LogWarning("Reply {Index} of delivery {Delivery} handed to the outbox: {Failure}", i, pending.DeliveryKey, e.Failure);
                    await outbox.AddAndEnqueueAsync(OutboxKey(pending.DeliveryKey, i), pending.Effects.To, replies[i], ct);
                }
                catch (ChannelSendException e)
                {
                    // Blocked, or outside the window although they just wrote: a stale answer to this turn is no use later.
                    log.LogWarning("Reply {Index} of delivery {Delivery} cannot be delivered: {Message}", i, pending.DeliveryKey, e.Message);
                }
                // The last send is recorded by completing the turn: one Redis round trip less.
                if (i + 1 < replies.Count) await MarkSentAsync(pending.DeliveryKey, i + 1);
            }
            await AfterSend.RecordAsync(() => store.CompleteAsync(pending.DeliveryKey), log, "the end of a turn");
            completed = true;
        }
        finally
        {
            await finished.CancelAsync();
            await leaseKept;
            if (!completed) await ReleaseLeaseAsync(pending.DeliveryKey);
        }
    }

    private static string OutboxKey(string deliveryKey, int reply) => $"reply:{deliveryKey}:{reply}";

    private Task<IReadOnlySet<string>> HandedToOutboxAsync(PendingTurn pending, int replies, CancellationToken ct) =>
        outbox.HeldAsync(Enumerable.Range(pending.RepliesSent, replies - pending.RepliesSent).Select(i => OutboxKey(pending.DeliveryKey, i)).ToList(), ct);

    private async Task KeepLeaseAsync(string deliveryKey, CancellationToken finished)
    {
        var every = options.Value.EffectsLease / 3;
        while (true)
        {
            // Almost every turn finishes before the first renewal: ending the wait without throwing
            // saves an exception per turn (1 % of the server's CPU under load, docs/benchmarks.md).
            await Task.Delay(every, finished).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (finished.IsCancellationRequested) return;
            try
            {
                await store.RenewLeaseAsync(deliveryKey);
            }
            catch (Exception e)
            {
                log.LogWarning("Keeping the lease on delivery {Delivery} failed: {Error}", deliveryKey, e.GetType().Name);
            }
        }
    }

    // Best effort: a lease that cannot be given back expires by itself.
    private async Task ReleaseLeaseAsync(string deliveryKey)
    {
        try
        {
            await store.ReleaseLeaseAsync(deliveryKey);
        }
        catch (Exception e)
        {
            log.LogWarning("Giving back the lease on delivery {Delivery} failed: {Error}", deliveryKey, e.GetType().Name);
        }
    }
}

/// <summary>
/// The store cannot be reached just now (Redis reconnecting, or the key ring that opens its
/// payloads unreadable); the turn waits for the platform's redelivery or the sweep.
/// </summary>
public sealed class ConversationStoreUnavailableException(Exception? cause = null) : Exception("the conversation store is unreachable", cause);
