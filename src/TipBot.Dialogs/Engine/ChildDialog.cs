using TipBot.Core.Messaging;

namespace TipBot.Dialogs.Engine;

/// <summary>How a child dialog's turn ended: still waiting for an answer, or done and why.</summary>
public enum ChildOutcome
{
    Waiting,
    /// <summary>Answered; the value is in <see cref="ChildResult.Value"/>.</summary>
    Completed,
    /// <summary>The resident chose to skip an optional question ("bỏ qua", the Skip button).</summary>
    Skipped,
    /// <summary>No usable answer within the prompt's attempts; the owner decides what happens.</summary>
    Exhausted,
}

/// <summary>What a child dialog hands back to the component that started it.</summary>
public readonly record struct ChildResult(ChildOutcome Outcome, object? Value = null, string ChildId = "")
{
    public static ChildResult Waiting => new(ChildOutcome.Waiting);
    public bool Done => Outcome != ChildOutcome.Waiting;
}

/// <summary>One turn of a child dialog: the turn, the component's frame, and the child's own frame.</summary>
public sealed class ChildContext(DialogContext turn, DialogFrame owner, DialogFrame frame, InboundMessage? answer = null)
{
    public DialogContext Turn { get; } = turn;

    /// <summary>The frame of the component that owns the child: its slots are the conversation's.</summary>
    public DialogFrame Owner { get; } = owner;

    /// <summary>The child's own frame on the component's inner stack (attempts, its own slots).</summary>
    public DialogFrame Frame { get; } = frame;

    /// <summary>The answer: the turn's message, or what the component passed on (a command's argument).</summary>
    public InboundMessage Message { get; } = answer ?? turn.Message;
}

/// <summary>
/// A dialog that runs inside a <see cref="ComponentDialog"/>, on its inner stack: a prompt, or a
/// small step of the component's own. Children are configured in code; only their frame is stored.
/// </summary>
public abstract class ChildDialog(string id)
{
    public string Id { get; } = id;

    public abstract Task<ChildResult> BeginAsync(ChildContext cc);

    public abstract Task<ChildResult> ContinueAsync(ChildContext cc);
}
