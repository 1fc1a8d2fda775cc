using Microsoft.AspNetCore.DataProtection;
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

    protected static readonly EphemeralDataProtectionProvider Keys = new();
    protected static readonly ConversationPayloadProtector Payloads = new(Keys);

    protected abstract IConversationStore Store { get; }

    protected static string Key() => Guid.NewGuid().ToString("N");

    protected static ConversationState State(string culture = "vi") => new() { Culture = culture, Greeted = true };

    protected static TurnEffects Effects(params string[] replies) =>
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

        Assert.Null(await Store.TryLeaseAsync(delivery));
        await Store.ReleaseLeaseAsync(delivery);
        Assert.NotNull(await Store.TryLeaseAsync(delivery));
        Assert.Null(await Store.TryLeaseAsync(delivery));
    }

    [Fact]
    public async Task A_lease_gives_the_effects_as_they_stand_and_none_once_they_are_completed()
    {
        var delivery = Key();
        await Store.TryCommitAsync(Key(), 0, State(), delivery, Effects("one", "two", "three"));
        var listed = Assert.Single(await Store.ListPendingAsync(Clock.GetUtcNow().AddMinutes(1), 1000), p => p.DeliveryKey == delivery);
        Assert.Equal(0, listed.RepliesSent);

        // The committer sends one reply, records it and gives up: a finisher working from the
        // earlier listing must start at the second reply, not the first.
        await Store.MarkRepliesSentAsync(delivery, 1);
        await Store.ReleaseLeaseAsync(delivery);
        var leased = await Store.TryLeaseAsync(delivery);
        Assert.NotNull(leased);
        Assert.Equal(1, leased.RepliesSent);
        Assert.Equal(["one", "two", "three"], leased.Effects.Replies.Select(r => r.Text));

        // Completed meanwhile: nothing left to take, even with the lease free.
        await Store.CompleteAsync(delivery);
        Assert.Null(await Store.TryLeaseAsync(delivery));
    }

    [Fact]
    public async Task Renewing_keeps_a_held_lease_and_never_takes_a_released_one()
    {
        var delivery = Key();
        await Store.TryCommitAsync(Key(), 0, State(), delivery, Effects("reply"));

        await Store.RenewLeaseAsync(delivery);
        Assert.Null(await Store.TryLeaseAsync(delivery));
        await Store.ReleaseLeaseAsync(delivery);
        await Store.RenewLeaseAsync(delivery); // a late renewal after the finisher gave up
        Assert.NotNull(await Store.TryLeaseAsync(delivery));
        Assert.True(Store.IsAvailable);
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

    [Fact]
    public async Task What_the_tipster_wrote_is_not_stored_in_clear()
    {
        var conversation = Key();
        var state = State();
        state.Stack.Add(new DialogFrame { Id = "report", Slots = { ["description"] = "Nhà số 12 kiệt 45 bán ma túy", ["phone"] = "0905123456" } });
        await Store.TryCommitAsync(conversation, 0, state, Key(), Effects("Số điện thoại 0905123456"));

        var raw = await RawAsync();
        Assert.NotEmpty(raw);
        Assert.All(raw, value => Assert.DoesNotContain("0905123456", value));
        Assert.All(raw, value => Assert.DoesNotContain("ma túy", value));
        Assert.Equal("0905123456", (await Store.LoadAsync(conversation, Key())).Conversation.State!.Stack[0].Slots["phone"]);
    }

    /// <summary>Every value the store holds, as stored.</summary>
    protected abstract Task<IReadOnlyList<string>> RawAsync();
}

public sealed class InMemoryConversationStoreContract : ConversationStoreContractTests
{
    protected override Task<IReadOnlyList<string>> RawAsync()
    {
        // The in-process store keeps the same protected bytes Redis would; read them through reflection.
        const System.Reflection.BindingFlags Private = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance;
        IEnumerable<object> Entries(string field) => ((System.Collections.IDictionary)typeof(InMemoryConversationStore).GetField(field, Private)!.GetValue(Store)!).Values.Cast<object>();
        static string Bytes(object entry, string property) => System.Text.Encoding.UTF8.GetString((byte[])entry.GetType().GetProperty(property)!.GetValue(entry)!);
        IReadOnlyList<string> values = [.. Entries("_conversations").Select(e => Bytes(e, "Payload")), .. Entries("_pending").Select(e => Bytes(e, "EffectsPayload"))];
        return Task.FromResult(values);
    }

    public InMemoryConversationStoreContract() =>
        Store = new InMemoryConversationStore(Microsoft.Extensions.Options.Options.Create(Options), Payloads, Clock);

    protected override IConversationStore Store { get; }
}

[Collection("integration")]
public sealed class RedisConversationStoreContract : ConversationStoreContractTests, IDisposable
{
    private readonly ConnectionMultiplexer _redis;
    private readonly string _prefix;

    public RedisConversationStoreContract()
    {
        var endpoint = Environment.GetEnvironmentVariable("TIPBOT_TEST_REDIS")
            ?? throw new InvalidOperationException("TIPBOT_TEST_REDIS is not set: run the suite with scripts/test.sh.");
        _redis = ConnectionMultiplexer.Connect(endpoint);
        _prefix = "contract" + Guid.NewGuid().ToString("N")[..8];
        Store = new RedisConversationStore(_redis, Microsoft.Extensions.Options.Options.Create(Options), new RedisKeyPrefix(_prefix), Payloads, Clock);
    }

    protected override IConversationStore Store { get; }

    protected override async Task<IReadOnlyList<string>> RawAsync()
    {
        var server = _redis.GetServers()[0];
        var values = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: _prefix + ":*"))
        {
            var type = await _redis.GetDatabase().KeyTypeAsync(key);
            if (type == RedisType.Hash)
                values.AddRange((await _redis.GetDatabase().HashGetAllAsync(key)).Select(e => e.Value.ToString()));
        }
        return values;
    }

    [Fact]
    public async Task The_sweep_reads_many_pending_turns_at_once_and_forgets_those_whose_effects_expired()
    {
        var deliveries = Enumerable.Range(0, 5).Select(_ => Key()).ToList();
        foreach (var (delivery, i) in deliveries.Select((d, i) => (d, i)))
            await Store.TryCommitAsync(Key(), 0, State(), delivery, Effects($"reply {i}"));
        var expired = deliveries[2];
        await _redis.GetDatabase().KeyDeleteAsync($"{_prefix}:fx:{expired}"); // its TTL ran out with the delivery record

        var listed = await Store.ListPendingAsync(Clock.GetUtcNow().AddMinutes(1), 100);

        Assert.Equal(deliveries.Where(d => d != expired).Order(), listed.Select(p => p.DeliveryKey).Order());
        Assert.Equal("reply 4", listed.Single(p => p.DeliveryKey == deliveries[4]).Effects.Replies.Single().Text);
        Assert.Null(await _redis.GetDatabase().SortedSetScoreAsync($"{_prefix}:fx-pending", expired));
        Assert.NotNull(await _redis.GetDatabase().SortedSetScoreAsync($"{_prefix}:fx-pending", deliveries[0]));
    }

    [Fact]
    public async Task Completing_a_turn_removes_its_effects_lease_and_sweep_entry_under_the_keys_earlier_versions_used()
    {
        var (conversation, delivery) = (Key(), Key());
        await Store.TryCommitAsync(conversation, 0, State(), delivery, Effects("reply"));
        var db = _redis.GetDatabase();
        RedisKey[] turnKeys = [$"{_prefix}:fx:{delivery}", $"{_prefix}:fx-lease:{delivery}"];
        Assert.Equal(2, await db.KeyExistsAsync(turnKeys));
        Assert.NotNull(await db.SortedSetScoreAsync($"{_prefix}:fx-pending", delivery));

        await Store.CompleteAsync(delivery);

        Assert.Equal(0, await db.KeyExistsAsync(turnKeys));
        Assert.Null(await db.SortedSetScoreAsync($"{_prefix}:fx-pending", delivery));
        Assert.True(await db.KeyExistsAsync($"{_prefix}:dlv:{delivery}")); // a redelivery is still known
        Assert.Equal(1, (long)await db.HashGetAsync(ConversationKey(conversation), "v"));
    }

    [Fact]
    public async Task A_state_stored_by_an_earlier_version_is_read_and_what_is_written_back_it_reads_too()
    {
        var conversation = Key();
        var olderNode = Keys.CreateProtector("TipBot.Conversation.v1");
        var asText = olderNode.Protect("""{"schemaVersion":2,"culture":"en","greeted":true,"stack":[]}""");
        await _redis.GetDatabase().HashSetAsync(ConversationKey(conversation), [new("v", 3), new("s", asText)]);

        var snapshot = await Store.LoadAsync(conversation, Key());
        Assert.Equal((3, "en", false), (snapshot.Conversation.Version, snapshot.Conversation.State!.Culture, snapshot.Conversation.Discarded));

        snapshot.Conversation.State.Greeted = false;
        Assert.Equal(CommitOutcome.Committed, await Store.TryCommitAsync(conversation, 3, snapshot.Conversation.State, Key(), Effects()));
        var written = (string)(await _redis.GetDatabase().HashGetAsync(ConversationKey(conversation), "s"))!;
        Assert.Contains("\"greeted\":false", olderNode.Unprotect(written));
    }

    [Fact]
    public async Task With_binary_payloads_the_state_is_stored_as_bytes_a_quarter_smaller_and_read_by_either_setting()
    {
        var binaryStore = new RedisConversationStore(_redis, Microsoft.Extensions.Options.Options.Create(Options), new RedisKeyPrefix(_prefix),
            new ConversationPayloadProtector(Keys, binary: true), Clock);
        var (asText, asBytes) = (Key(), Key());
        var state = State("en");
        state.Stack.Add(new DialogFrame { Id = "report", Slots = { ["description"] = "Có người lạ đột nhập nhà bên cạnh lúc nửa đêm" } });
        await Store.TryCommitAsync(asText, 0, state, Key(), Effects());
        await binaryStore.TryCommitAsync(asBytes, 0, state, Key(), Effects());

        var text = (byte[])(await _redis.GetDatabase().HashGetAsync(ConversationKey(asText), "s"))!;
        var bytes = (byte[])(await _redis.GetDatabase().HashGetAsync(ConversationKey(asBytes), "s"))!;
        Assert.Equal(0x09, bytes[0]); // Data Protection's own header, no text around it
        Assert.True(bytes.Length * 4 <= text.Length * 3 + 3, $"{bytes.Length} bytes, {text.Length} as text");
        Assert.Equal("en", (await Store.LoadAsync(asBytes, Key())).Conversation.State!.Culture);
        Assert.Equal("en", (await binaryStore.LoadAsync(asText, Key())).Conversation.State!.Culture);
    }

    private RedisKey ConversationKey(string conversation) => $"{_prefix}:conv:{conversation}";

    public void Dispose() => _redis.Dispose();
}
