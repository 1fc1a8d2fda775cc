namespace TipBot.Core.Messaging;

/// <summary>A button as the dialogs think of it; each channel renders it its own way.</summary>
public sealed record Button(string Label, string Payload);

/// <summary>A message to send: text and, optionally, choices and an image shown with the text.</summary>
public sealed record Reply(string Text, IReadOnlyList<Button>? Buttons = null, ReplyImage? Image = null)
{
    public IReadOnlyList<Button> ButtonsOrEmpty => Buttons ?? [];
}

/// <summary>
/// An image sent with a reply's text (a safety notice's). <paramref name="Key"/> names the image
/// across sends, so a channel that returns an id for an uploaded file (Telegram's file_id) uploads
/// it once and reuses the id for every other recipient. <paramref name="Url"/> is where the
/// platform or a page can fetch it: absolute https for Messenger and Zalo, which only take URLs;
/// possibly relative (the web chat's own host). <paramref name="Content"/> reads the bytes, for
/// channels that upload; it is called only when needed.
/// </summary>
public sealed record ReplyImage(string Key, string? Url, Func<CancellationToken, Task<byte[]>>? Content = null)
{
    /// <summary>The URL when a platform can fetch it from anywhere (absolute https).</summary>
    public Uri? PublicUrl => Uri.TryCreate(Url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps ? uri : null;
}

/// <summary>Where a message goes: a channel and that channel's chat id.</summary>
public sealed record ChatAddress(string Channel, string ChatId)
{
    public override string ToString() => $"{Channel}:{ChatId}";
}
