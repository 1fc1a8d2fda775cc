using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TipBot.Server.Conversations;

namespace TipBot.Server.Tests.Infrastructure;

/// <summary>
/// The app's real conversation store, whose "connected" flag a test can turn off, as
/// StackExchange.Redis reports it for a few seconds after a Redis restart.
/// </summary>
public sealed class UnreachableSwitch(IConversationStore real) : IConversationStore
{
    private int _refusals;

    public volatile bool Unreachable;

    /// <summary>How often the store said it could not be reached.</summary>
    public int Refusals => Volatile.Read(ref _refusals);

    public bool IsAvailable
    {
        get
        {
            if (!Unreachable) return real.IsAvailable;
            Interlocked.Increment(ref _refusals);
            return false;
        }
    }

    /// <summary>Puts the switch in front of the store the app registered.</summary>
    public static void Install(IServiceCollection services)
    {
        var real = services.Single(d => d.ServiceType == typeof(IConversationStore)).ImplementationType!;
        services.RemoveAll<IConversationStore>();
        services.AddSingleton(real);
        services.AddSingleton<IConversationStore>(sp => new UnreachableSwitch((IConversationStore)sp.GetRequiredService(real)));
    }

    /// <summary>
    /// The app's switch, built now if nothing has asked for the store yet: a test that throws it
    /// before the app's first turn must not find it missing (a clean-clone run once did).
    /// </summary>
    public static UnreachableSwitch Of(IServiceProvider services) => (UnreachableSwitch)services.GetRequiredService<IConversationStore>();

    public Task<TurnSnapshot> LoadAsync(string conversationKey, string deliveryKey) => real.LoadAsync(conversationKey, deliveryKey);
    public Task<CommitOutcome> TryCommitAsync(string conversationKey, long expectedVersion, TipBot.Dialogs.Engine.ConversationState state, string deliveryKey, TurnEffects effects) =>
        real.TryCommitAsync(conversationKey, expectedVersion, state, deliveryKey, effects);
    public Task<PendingTurn?> TryLeaseAsync(string deliveryKey) => real.TryLeaseAsync(deliveryKey);
    public Task ReleaseLeaseAsync(string deliveryKey) => real.ReleaseLeaseAsync(deliveryKey);
    public Task RenewLeaseAsync(string deliveryKey) => real.RenewLeaseAsync(deliveryKey);
    public Task MarkRepliesSentAsync(string deliveryKey, int count) => real.MarkRepliesSentAsync(deliveryKey, count);
    public Task CompleteAsync(string deliveryKey) => real.CompleteAsync(deliveryKey);
    public Task<long> CountMessageAsync(string conversationKey, TimeSpan window) => real.CountMessageAsync(conversationKey, window);
    public Task<IReadOnlyList<PendingTurn>> ListPendingAsync(DateTimeOffset before, int max) => real.ListPendingAsync(before, max);
}
