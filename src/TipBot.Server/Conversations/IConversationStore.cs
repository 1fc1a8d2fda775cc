using TipBot.Dialogs.Engine;

namespace TipBot.Server.Conversations;

/// <summary>A conversation's state with the version it was read at (0: none stored).</summary>
public sealed record StoredConversation(ConversationState? State, long Version, bool Discarded);

/// <summary>What the store knows about a conversation and one delivery, read together.</summary>
public sealed record TurnSnapshot(StoredConversation Conversation, bool DeliverySeen, PendingTurn? Pending);

public enum CommitOutcome { Committed, VersionConflict, DuplicateDelivery }

/// <summary>
/// Conversation state, delivery de-duplication and pending turn effects, committed atomically.
/// Two implementations pass the same contract tests: in-process (embedded default) and Redis.
/// </summary>
public interface IConversationStore
{
    Task<TurnSnapshot> LoadAsync(string conversationKey, string deliveryKey);

    /// <summary>
    /// Commits the new state only if the stored version is still <paramref name="expectedVersion"/>
    /// and the delivery was not committed before; records the delivery and, if any, its effects,
    /// and gives the caller the lease on finishing them.
    /// </summary>
    Task<CommitOutcome> TryCommitAsync(string conversationKey, long expectedVersion, ConversationState state, string deliveryKey, TurnEffects effects);

    /// <summary>
    /// Takes the right to finish a delivery's pending effects for a while, and returns them as they
    /// stand at that moment (null: none pending, or another finisher holds them). Checked and taken
    /// in one step: a finisher working from an older look (the sweep's list, a redelivery's read)
    /// must neither take effects completed meanwhile nor resend replies recorded as sent.
    /// </summary>
    Task<PendingTurn?> TryLeaseAsync(string deliveryKey);

    Task ReleaseLeaseAsync(string deliveryKey);

    /// <summary>Keeps a lease the caller holds for another <see cref="ConversationStoreOptions.EffectsLease"/>.</summary>
    Task RenewLeaseAsync(string deliveryKey);

    /// <summary>
    /// False while the store knows it cannot be reached (a Redis connection being re-established):
    /// a reply sent then could not be recorded as sent, and would be sent again.
    /// </summary>
    bool IsAvailable { get; }

    Task MarkRepliesSentAsync(string deliveryKey, int count);

    /// <summary>The effects are done: forget them (the delivery stays recorded as seen).</summary>
    Task CompleteAsync(string deliveryKey);

    /// <summary>Counts a message of this conversation in the current window; returns the count so far (flood control).</summary>
    Task<long> CountMessageAsync(string conversationKey, TimeSpan window);

    /// <summary>Pending effects committed before <paramref name="before"/>, for the sweep.</summary>
    Task<IReadOnlyList<PendingTurn>> ListPendingAsync(DateTimeOffset before, int max);
}
