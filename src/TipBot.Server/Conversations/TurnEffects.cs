using TipBot.Core.Messaging;
using TipBot.Dialogs.Engine;

namespace TipBot.Server.Conversations;

/// <summary>
/// What a committed turn still has to do: commands to apply, then replies to send, in order.
/// Stored with the turn so that a crash after the commit loses none of it.
/// </summary>
public sealed record TurnEffects(ChatAddress To, IReadOnlyList<Reply> Replies, IReadOnlyList<TurnCommand> Commands)
{
    public bool IsEmpty => Replies.Count == 0 && Commands.Count == 0;
}

/// <summary>Effects of a turn that are not finished yet; <see cref="RepliesSent"/> replies already went out.</summary>
public sealed record PendingTurn(string DeliveryKey, TurnEffects Effects, int RepliesSent);
