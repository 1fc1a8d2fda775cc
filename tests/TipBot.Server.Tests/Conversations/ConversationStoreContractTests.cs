using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using TipBot.Core.Messaging;
using TipBot.Dialogs.Engine;
using TipBot.Server.Conversations;

namespace TipBot.Server.Tests.Conversations;

/// <summary>One contract, two stores: the in-process one and Redis must behave alike.</summary>
public abstract class ConversationStoreContractTests
{
    protected readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
    protected static readonly ConversationStoreOptions Options = new()
    {
        StateTtl = TimeSpan.FromHours(24), DeliveryTtl = TimeSpan.FromHours(48), EffectsLease = TimeSpan.FromSeconds(30),
    };

    protected abstract IConversationStore Store { get; }

    private static string Key() => Guid.NewGuid().ToString("N");

    private static ConversationState State(string culture = "vi") => new() { Culture = culture, Greeted = true };

    private static TurnEffects Effects(params string[] replies) =>
        new(new ChatAddress("telegram", "42"), replies.Select(r => new Reply(r)).ToList(), []);

    [Fact]
    public async Task A_new_conversation_has_no_state_and_version_zero()
    {
        var snapshot = await Store.LoadAsync(Key(), Key());
        Assert.Null(snapshot.Conversation.State);
        Assert.Equal(0, snapshot.Conversation.Version);
        Assert.False(snapshot.DeliverySeen);
        Assert.Null(snapshot.Pending);
    }

    [Fact]
    public async Task Committed_state_is_read_back_with_the_next_version()
    {
        var conversation = Key();
        Assert.Equal(CommitOutcome.Committed, await Store.TryCommitAsync(conversation, 0, State("en"), Key(), Effects()));

        var snapshot = await Store.LoadAsync(conversation, Key());
        Assert.Equal(1, snapshot.Conversation.Version);
        Assert.Equal("en", snapshot.Conversation.State!.Culture);
    }

    [Fact]
    public async Task A_commit_on_a_stale_version_is_refused_so_the_turn_is_redone()
    {
        var conversation = Key();
        await Store.TryCommitAsync(conversation, 0, State(), Key(), Effects());

        Assert.Equal(CommitOutcome.VersionConflict, await Store.TryCommitAsync(conversation, 0, State("en"), Key(), Effects()));
        Assert.Equal("vi", (await Store.LoadAsync(conversation, Key())).Conversation.State!.Culture);
    }

    [Fact]
    public async Task A_delivery_is_committed_once()
    {
        var conversation = Key();
        var delivery = Key();
        await Store.TryCommitAsync(conversation, 0, State(), delivery, Effects());

        Assert.Equal(CommitOutcome.DuplicateDelivery, await Store.TryCommitAsync(conversation, 1, State(), delivery, Effects()));
        Assert.True((await Store.LoadAsync(conversation, delivery)).DeliverySeen);
    }

    [Fact]
    public async Task Effects_stay_pending_until_completed_and_remember_replies_sent()
    {
        var conversation = Key();
        var delivery = Key();
        await Store.TryCommitAsync(conversation, 0, State(), delivery, Effects("one", "two"));
        await Store.MarkRepliesSentAsync(delivery, 1);

        var pending = (await Store.LoadAsync(conversation, delivery)).Pending;
        Assert.NotNull(pending);
        Assert.Equal(1, pending.RepliesSent);
        Assert.Equal(["one", "two"], pending.Effects.Replies.Select(r => r.Text));

        await Store.CompleteAsync(delivery);
        Assert.Null((await Store.LoadAsync(conversation, delivery)).Pending);
        Assert.True((await Store.LoadAsync(conversation, delivery)).DeliverySeen);
    }

    [Fact]
    public async Task The_committer_holds_the_lease_until_it_is_released()
    {
        var delivery = Key();
        await Store.TryCommitAsync(Key(), 0, State(), delivery, Effects("reply"));

        Assert.False(await Store.TryLeaseAsync(delivery));
        await Store.ReleaseLeaseAsync(delivery);
        Assert.True(await Store.TryLeaseAsync(delivery));
        Assert.False(await Store.TryLeaseAsync(delivery));
    }

    [Fact]
    public async Task Pending_turns_are_listed_for_the_sweep_once_old_enough()
    {
        var delivery = Key();
        await Store.TryCommitAsync(Key(), 0, State(), delivery, Effects("reply"));

        Assert.DoesNotContain(await Store.ListPendingAsync(Clock.GetUtcNow().AddSeconds(-30), 100), p => p.DeliveryKey == delivery);
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Contains(await Store.ListPendingAsync(Clock.GetUtcNow().AddSeconds(-30), 100), p => p.DeliveryKey == delivery);

        await Store.CompleteAsync(delivery);
        Assert.DoesNotContain(await Store.ListPendingAsync(Clock.GetUtcNow(), 100), p => p.DeliveryKey == delivery);
    }

    [Fact]
    public async Task Concurrent_commits_on_one_version_let_exactly_one_win()
    {
        var conversation = Key();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16)
            .Select(i => Task.Run(() => Store.TryCommitAsync(conversation, 0, State(), Key(), Effects()))));

        Assert.Single(outcomes, o => o == CommitOutcome.Committed);
        Assert.Equal(15, outcomes.Count(o => o == CommitOutcome.VersionConflict));
    }
}

public sealed class InMemoryConversationStoreContract : ConversationStoreContractTests
{
    public InMemoryConversationStoreContract() =>
        Store = new InMemoryConversationStore(Microsoft.Extensions.Options.Options.Create(Options), Clock);

    protected override IConversationStore Store { get; }
}

[Collection("integration")]
public sealed class RedisConversationStoreContract : ConversationStoreContractTests, IDisposable
{
    private readonly ConnectionMultiplexer _redis;

    public RedisConversationStoreContract()
    {
        var endpoint = Environment.GetEnvironmentVariable("TIPBOT_TEST_REDIS")
            ?? throw new InvalidOperationException("TIPBOT_TEST_REDIS is not set: run the suite with scripts/test.sh.");
        _redis = ConnectionMultiplexer.Connect(endpoint);
        Store = new RedisConversationStore(_redis, Microsoft.Extensions.Options.Options.Create(Options),
            new RedisKeyPrefix("contract" + Guid.NewGuid().ToString("N")[..8]), Clock);
    }

    protected override IConversationStore Store { get; }

    public void Dispose() => _redis.Dispose();
}
