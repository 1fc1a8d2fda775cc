namespace TipBot.Dialogs.Engine;

/// <summary>
/// A conversation made of a small set of child dialogs and prompts (Bot Framework's ComponentDialog):
/// the children run on the component's own inner stack, kept in its frame
/// (<see cref="DialogFrame.Inner"/>), and the component decides what follows each child's result.
/// </summary>
public abstract class ComponentDialog : Dialog
{
    private readonly Dictionary<string, ChildDialog> _children = new(StringComparer.Ordinal);

    protected T Add<T>(T child) where T : ChildDialog
    {
        _children.Add(child.Id, child);
        return child;
    }

    public override async Task ContinueAsync(DialogContext dc, DialogFrame frame)
    {
        if (frame.Inner is not { Count: > 0 } inner || !_children.TryGetValue(inner[^1].Id, out var child))
        {
            // A child this version no longer has: start the component again rather than fail.
            frame.Inner = null;
            await BeginAsync(dc, frame);
            return;
        }
        var result = await child.ContinueAsync(new ChildContext(dc, frame, inner[^1]));
        if (result.Done) await EndChildAsync(dc, frame, result with { ChildId = child.Id });
    }

    /// <summary>Pushes a child on the inner stack and begins it; its result comes to <see cref="OnChildEndedAsync"/>.</summary>
    protected async Task BeginChildAsync(DialogContext dc, DialogFrame frame, ChildDialog child)
    {
        var childFrame = new DialogFrame { Id = child.Id };
        (frame.Inner ??= []).Add(childFrame);
        var result = await child.BeginAsync(new ChildContext(dc, frame, childFrame));
        if (result.Done) await EndChildAsync(dc, frame, result with { ChildId = child.Id });
    }

    /// <summary>
    /// Pushes a child and hands it an answer at once, as if the resident had just typed it
    /// ("/subscribe Hải Châu": the place is the first answer to the place question).
    /// </summary>
    protected async Task BeginChildWithAnswerAsync(DialogContext dc, DialogFrame frame, ChildDialog child, string answer)
    {
        var childFrame = new DialogFrame { Id = child.Id };
        (frame.Inner ??= []).Add(childFrame);
        var message = dc.Message with { Text = answer, ButtonPayload = null };
        var result = await child.ContinueAsync(new ChildContext(dc, frame, childFrame, message));
        if (result.Done) await EndChildAsync(dc, frame, result with { ChildId = child.Id });
    }

    /// <summary>The component itself is done: its frame leaves the conversation's stack.</summary>
    protected static void End(DialogContext dc, DialogFrame frame)
    {
        frame.Inner = null;
        if (dc.Top == frame) dc.Pop();
    }

    /// <summary>A child ended (answered, skipped, or out of attempts): ask the next thing or end.</summary>
    protected abstract Task OnChildEndedAsync(DialogContext dc, DialogFrame frame, ChildResult result);

    private async Task EndChildAsync(DialogContext dc, DialogFrame frame, ChildResult result)
    {
        if (frame.Inner is { Count: > 0 } inner) inner.RemoveAt(inner.Count - 1);
        if (frame.Inner is { Count: 0 }) frame.Inner = null;
        await OnChildEndedAsync(dc, frame, result);
    }
}
