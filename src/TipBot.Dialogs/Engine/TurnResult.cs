using TipBot.Core.Messaging;

namespace TipBot.Dialogs.Engine;

/// <summary>What one turn produced: the state to commit, and what to do once it is committed.</summary>
public sealed record TurnResult(ConversationState State, IReadOnlyList<Reply> Replies, IReadOnlyList<TurnCommand> Commands);
