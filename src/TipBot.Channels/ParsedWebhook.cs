using TipBot.Core.Messaging;

namespace TipBot.Channels;

/// <summary>The outcome of reading a webhook body.</summary>
public abstract record ParsedWebhook
{
    public sealed record Messages(IReadOnlyList<InboundMessage> Items, string? CallbackQueryId = null) : ParsedWebhook;
    /// <summary>Valid, but nothing for the bot (an edited message, a channel post, a group chat).</summary>
    public sealed record Ignored(string Why) : ParsedWebhook;
    public sealed record Invalid(string Reason) : ParsedWebhook;
}
