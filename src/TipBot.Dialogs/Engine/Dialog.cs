namespace TipBot.Dialogs.Engine;

/// <summary>A conversation the bot can hold. Its progress lives in its <see cref="DialogFrame"/>.</summary>
public abstract class Dialog
{
    public abstract string Id { get; }

    /// <summary>Starts the dialog on a fresh frame; the message that started it is in the context.</summary>
    public abstract Task BeginAsync(DialogContext dc, DialogFrame frame);

    /// <summary>Handles the next message while this dialog is on top of the stack.</summary>
    public abstract Task ContinueAsync(DialogContext dc, DialogFrame frame);
}
