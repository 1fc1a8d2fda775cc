namespace TipBot.Core.Messaging;

/// <summary>A button as the dialogs think of it; each channel renders it its own way.</summary>
public sealed record Button(string Label, string Payload);

/// <summary>A message to send: text and, optionally, choices.</summary>
public sealed record Reply(string Text, IReadOnlyList<Button>? Buttons = null)
{
    public IReadOnlyList<Button> ButtonsOrEmpty => Buttons ?? [];
}

/// <summary>Where a message goes: a channel and that channel's chat id.</summary>
public sealed record ChatAddress(string Channel, string ChatId)
{
    public override string ToString() => $"{Channel}:{ChatId}";
}
