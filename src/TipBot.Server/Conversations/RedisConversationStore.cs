using System.Text;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TipBot.Dialogs.Engine;

namespace TipBot.Server.Conversations;

/// <summary>
/// Conversation state in Redis: a hash {v: version, s: state JSON} per conversation with a TTL.
/// The commit is one Lua script, so "version unchanged and delivery not seen → write state, mark
/// the delivery, record the effects" is atomic (StackExchange.Redis multiplexes one connection and
/// has no WATCH).
/// </summary>
public sealed class RedisConversationStore(IConnectionMultiplexer redis, IOptions<ConversationStoreOptions> options, RedisKeyPrefix prefix, ConversationPayloadProtector payloads, TimeProvider clock)
    : IConversationStore
{
    private const string CommitScript = """
        if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
        local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
        if v ~= tonumber(ARGV[1]) then return -2 end
        redis.call('HSET', KEYS[1], 'v', v + 1, 's', ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        redis.call('SET', KEYS[2], '1', 'PX', ARGV[4])
        if ARGV[5] ~= '' then
          redis.call('HSET', KEYS[3], 'e', ARGV[5], 'n', 0)
          redis.call('PEXPIRE', KEYS[3], ARGV[4])
          redis.call('SET', KEYS[5], '1', 'PX', ARGV[8])
          redis.call('ZADD', KEYS[4], ARGV[6], ARGV[7])
        end
        return v + 1
        """;

    // The effects as they stand, if they are still pending and nobody holds them.
    private const string LeaseScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return false end
        if not redis.call('SET', KEYS[2], '1', 'PX', ARGV[1], 'NX') then return false end
        return redis.call('HMGET', KEYS[1], 'e', 'n')
        """;

    private const string CountScript = """
        local n = redis.call('INCR', KEYS[1])
        if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return n
        """;

    // One command where a MULTI/EXEC of the three is five, each answered, and where
    // StackExchange.Redis writes a text log of every transaction it sends.
    private const string CompleteScript = """
        redis.call('DEL', KEYS[1], KEYS[2])
        redis.call('ZREM', KEYS[3], ARGV[1])
        return 1
        """;

    private readonly ConversationStoreOptions _options = options.Value;
    private IDatabase Db => redis.GetDatabase();

    // A key is its kind's prefix, as bytes, and the caller's string: joined only as they are
    // written to Redis, not in a new string per key (about ten a turn).
    private readonly RedisKey _conversations = KindPrefix(prefix, "conv");
    private readonly RedisKey _deliveries = KindPrefix(prefix, "dlv");
    private readonly RedisKey _effects = KindPrefix(prefix, "fx");
    private readonly RedisKey _leases = KindPrefix(prefix, "fx-lease");
    private readonly RedisKey _rates = KindPrefix(prefix, "rate");
    private readonly RedisKey _pendingIndex = $"{prefix.Value}:fx-pending";

    private static RedisKey KindPrefix(RedisKeyPrefix prefix, string kind) => Encoding.UTF8.GetBytes($"{prefix.Value}:{kind}:");

    private RedisKey ConversationKey(string key) => new RedisKey(key).Prepend(_conversations);
    private RedisKey DeliveryKey(string key) => new RedisKey(key).Prepend(_deliveries);
    private RedisKey EffectsKey(string key) => new RedisKey(key).Prepend(_effects);
    private RedisKey LeaseKey(string key) => new RedisKey(key).Prepend(_leases);

    public async Task<TurnSnapshot> LoadAsync(string conversationKey, string deliveryKey)
    {
        var batch = Db.CreateBatch();
        var conversation = batch.HashGetAsync(ConversationKey(conversationKey), ["v", "s"]);
        var seen = batch.KeyExistsAsync(DeliveryKey(deliveryKey));
        var effects = batch.HashGetAsync(EffectsKey(deliveryKey), ["e", "n"]);
        batch.Execute();
        var values = await conversation;
        var version = values[0].HasValue ? (long)values[0] : 0;
        var stateJson = payloads.TryUnprotect((byte[]?)values[1]);
        var (state, discarded) = StateSerializer.Deserialize(stateJson);
        discarded |= values[1].HasValue && stateJson is null;
        return new TurnSnapshot(new StoredConversation(state, version, discarded), await seen, Pending(deliveryKey, await effects));
    }

    public async Task<CommitOutcome> TryCommitAsync(string conversationKey, long expectedVersion, ConversationState state, string deliveryKey, TurnEffects effects)
    {
        var result = (long)await Db.ScriptEvaluateAsync(CommitScript,
            [ConversationKey(conversationKey), DeliveryKey(deliveryKey), EffectsKey(deliveryKey), _pendingIndex, LeaseKey(deliveryKey)],
            [
                expectedVersion,
                payloads.Protect(StateSerializer.Serialize(state)),
                (long)_options.StateTtl.TotalMilliseconds,
                (long)_options.DeliveryTtl.TotalMilliseconds,
                effects.IsEmpty ? RedisValue.EmptyString : payloads.Protect(StateSerializer.Serialize(effects)),
                clock.GetUtcNow().ToUnixTimeMilliseconds(),
                deliveryKey,
                (long)_options.EffectsLease.TotalMilliseconds,
            ]);
        return result switch
        {
            -1 => CommitOutcome.DuplicateDelivery,
            -2 => CommitOutcome.VersionConflict,
            _ => CommitOutcome.Committed,
        };
    }

    public async Task<long> CountMessageAsync(string conversationKey, TimeSpan window) =>
        (long)await Db.ScriptEvaluateAsync(CountScript, [new RedisKey(conversationKey).Prepend(_rates)], [(long)window.TotalMilliseconds]);

    public async Task<PendingTurn?> TryLeaseAsync(string deliveryKey)
    {
        var result = await Db.ScriptEvaluateAsync(LeaseScript, [EffectsKey(deliveryKey), LeaseKey(deliveryKey)], [(long)_options.EffectsLease.TotalMilliseconds]);
        if (result.IsNull) return null;
        try
        {
            return Pending(deliveryKey, (RedisValue[])result!);
        }
        catch (ConversationStoreUnavailableException)
        {
            await ReleaseLeaseAsync(deliveryKey); // the next finisher need not wait for it to expire
            throw;
        }
    }

    /// <summary>The effects hash's fields e (encrypted effects) and n (replies sent), if it is there.</summary>
    private PendingTurn? Pending(string deliveryKey, RedisValue[] fx) =>
        payloads.TryUnprotect((byte[]?)fx[0]) is { } json ? new PendingTurn(deliveryKey, StateSerializer.DeserializeEffects(json), (int)fx[1]) : null;

    public Task ReleaseLeaseAsync(string deliveryKey) => Db.KeyDeleteAsync(LeaseKey(deliveryKey));

    public Task RenewLeaseAsync(string deliveryKey) => Db.KeyExpireAsync(LeaseKey(deliveryKey), _options.EffectsLease);

    public bool IsAvailable => redis.IsConnected;

    public Task MarkRepliesSentAsync(string deliveryKey, int count) => Db.HashSetAsync(EffectsKey(deliveryKey), "n", count);

    public Task CompleteAsync(string deliveryKey) =>
        Db.ScriptEvaluateAsync(CompleteScript, [EffectsKey(deliveryKey), LeaseKey(deliveryKey), _pendingIndex], [deliveryKey]);

    public async Task<IReadOnlyList<PendingTurn>> ListPendingAsync(DateTimeOffset before, int max)
    {
        var keys = await Db.SortedSetRangeByScoreAsync(_pendingIndex, double.NegativeInfinity, before.ToUnixTimeMilliseconds(), take: max);
        // Every turn's effects in one round trip: a sweep after an outage can find hundreds.
        var batch = Db.CreateBatch();
        var reads = keys.Select(key => (Key: (string)key!, Effects: batch.HashGetAsync(EffectsKey(key!), ["e", "n"]))).ToList();
        batch.Execute();
        var list = new List<PendingTurn>();
        var expired = new List<RedisValue>();
        foreach (var (key, effects) in reads)
        {
            if (Pending(key, await effects) is { } pending) list.Add(pending);
            else expired.Add(key); // expired with its delivery record
        }
        if (expired.Count > 0) await Db.SortedSetRemoveAsync(_pendingIndex, expired.ToArray());
        return list;
    }
}

/// <summary>The prefix of every TipBot key in Redis (and Hangfire's), so several deployments or test runs can share one server.</summary>
public sealed record RedisKeyPrefix(string Value);
