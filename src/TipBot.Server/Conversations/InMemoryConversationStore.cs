using Microsoft.Extensions.Options;
using TipBot.Dialogs.Engine;

namespace TipBot.Server.Conversations;

/// <summary>
/// The embedded default: one process, so one lock makes each operation atomic. State is kept
/// serialized, exactly as Redis keeps it, so both stores behave alike.
/// </summary>
public sealed class InMemoryConversationStore(IOptions<ConversationStoreOptions> options, ConversationPayloadProtector payloads, TimeProvider clock) : IConversationStore
{
    private sealed record Entry(byte[] Payload, long Version, DateTimeOffset ExpiresAt);
    private sealed class Pending(byte[] effectsPayload, DateTimeOffset committedAt)
    {
        public byte[] EffectsPayload { get; } = effectsPayload;
        public DateTimeOffset CommittedAt { get; } = committedAt;
        public int RepliesSent { get; set; }
        public DateTimeOffset LeasedUntil { get; set; }
    }

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _conversations = new();
    private readonly Dictionary<string, DateTimeOffset> _deliveries = new();
    private readonly Dictionary<string, Pending> _pending = new();
    private readonly Dictionary<string, (long Count, DateTimeOffset Until)> _rates = new();
    private readonly ConversationStoreOptions _options = options.Value;

    public Task<TurnSnapshot> LoadAsync(string conversationKey, string deliveryKey)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var seen = _deliveries.TryGetValue(deliveryKey, out var until) && until > now;
            var pending = _pending.TryGetValue(deliveryKey, out var p) ? ToPendingTurn(deliveryKey, p) : null;
            if (!_conversations.TryGetValue(conversationKey, out var entry) || entry.ExpiresAt <= now)
                return Task.FromResult(new TurnSnapshot(new StoredConversation(null, entry?.Version ?? 0, false), seen, pending));
            var json = payloads.TryUnprotect(entry.Payload);
            var (state, discarded) = StateSerializer.Deserialize(json);
            discarded |= json is null;
            return Task.FromResult(new TurnSnapshot(new StoredConversation(state, entry.Version, discarded), seen, pending));
        }
    }

    public Task<CommitOutcome> TryCommitAsync(string conversationKey, long expectedVersion, ConversationState state, string deliveryKey, TurnEffects effects)
    {
        var payload = payloads.Protect(StateSerializer.Serialize(state));
        var effectsPayload = effects.IsEmpty ? null : payloads.Protect(StateSerializer.Serialize(effects));
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (_deliveries.TryGetValue(deliveryKey, out var until) && until > now) return Task.FromResult(CommitOutcome.DuplicateDelivery);
            var current = _conversations.TryGetValue(conversationKey, out var entry) ? entry.Version : 0;
            if (current != expectedVersion) return Task.FromResult(CommitOutcome.VersionConflict);
            _conversations[conversationKey] = new Entry(payload, current + 1, now + _options.StateTtl);
            _deliveries[deliveryKey] = now + _options.DeliveryTtl;
            if (effectsPayload is not null)
                _pending[deliveryKey] = new Pending(effectsPayload, now) { LeasedUntil = now + _options.EffectsLease };
            ForgetExpired(now);
            return Task.FromResult(CommitOutcome.Committed);
        }
    }

    public Task<long> CountMessageAsync(string conversationKey, TimeSpan window)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            var (count, until) = _rates.TryGetValue(conversationKey, out var rate) && rate.Until > now ? rate : (0, now + window);
            _rates[conversationKey] = (count + 1, until);
            if (_rates.Count > 100_000) foreach (var key in _rates.Where(kv => kv.Value.Until <= now).Select(kv => kv.Key).ToList()) _rates.Remove(key);
            return Task.FromResult(count + 1);
        }
    }

    public Task<PendingTurn?> TryLeaseAsync(string deliveryKey)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (!_pending.TryGetValue(deliveryKey, out var p) || p.LeasedUntil > now || ToPendingTurn(deliveryKey, p) is not { } pending)
                return Task.FromResult<PendingTurn?>(null);
            p.LeasedUntil = now + _options.EffectsLease;
            return Task.FromResult<PendingTurn?>(pending);
        }
    }

    public Task ReleaseLeaseAsync(string deliveryKey)
    {
        lock (_gate)
            if (_pending.TryGetValue(deliveryKey, out var p)) p.LeasedUntil = DateTimeOffset.MinValue;
        return Task.CompletedTask;
    }

    public Task RenewLeaseAsync(string deliveryKey)
    {
        lock (_gate)
            if (_pending.TryGetValue(deliveryKey, out var p) && p.LeasedUntil > clock.GetUtcNow()) p.LeasedUntil = clock.GetUtcNow() + _options.EffectsLease;
        return Task.CompletedTask;
    }

    public bool IsAvailable => true;

    public Task MarkRepliesSentAsync(string deliveryKey, int count)
    {
        lock (_gate)
            if (_pending.TryGetValue(deliveryKey, out var p)) p.RepliesSent = count;
        return Task.CompletedTask;
    }

    public Task CompleteAsync(string deliveryKey)
    {
        lock (_gate) _pending.Remove(deliveryKey);
        return Task.CompletedTask;
    }

    private PendingTurn? ToPendingTurn(string deliveryKey, Pending p) =>
        payloads.TryUnprotect(p.EffectsPayload) is { } json ? new PendingTurn(deliveryKey, StateSerializer.DeserializeEffects(json), p.RepliesSent) : null;

    public Task<IReadOnlyList<PendingTurn>> ListPendingAsync(DateTimeOffset before, int max)
    {
        lock (_gate)
        {
            IReadOnlyList<PendingTurn> list = _pending
                .Where(kv => kv.Value.CommittedAt < before)
                .OrderBy(kv => kv.Value.CommittedAt) // oldest first, as Redis's sorted set gives them
                .Take(max)
                .Select(kv => ToPendingTurn(kv.Key, kv.Value)).OfType<PendingTurn>()
                .ToList();
            return Task.FromResult(list);
        }
    }

    // Amortised clean-up on writes, so an embedded server running for months does not grow.
    private void ForgetExpired(DateTimeOffset now)
    {
        if (_deliveries.Count % 1024 != 0) return;
        foreach (var key in _deliveries.Where(kv => kv.Value <= now).Select(kv => kv.Key).ToList()) _deliveries.Remove(key);
        foreach (var key in _conversations.Where(kv => kv.Value.ExpiresAt <= now).Select(kv => kv.Key).ToList()) _conversations.Remove(key);
    }
}
