using global::Telegram.Bot.Requests;
using global::Telegram.Bot.Types;
using global::Telegram.Bot.Types.ReplyMarkups;

namespace TipBot.Channels.Telegram;

/// <summary>
/// sendMessage with the fields TipBot sends, through Telegram.Bot's own request pipeline (its
/// serializer options, error handling and HTTP client), answered by <see cref="Delivered"/>:
/// Telegram.Bot's typed SendMessage reads the whole Message back — sender, chat, text, entities,
/// buttons — which TipBot never looks at, and that was 4 % of what the server allocated per turn
/// (docs/benchmarks.md, nineteenth session). The buttons are declared as what they are, so they are written without
/// the library's converter for every kind of markup.
/// </summary>
internal sealed class SendText(ChatId chatId, string text, InlineKeyboardMarkup? replyMarkup) : RequestBase<SendText.Delivered>("sendMessage")
{
    public ChatId ChatId { get; } = chatId;

    public string Text { get; } = text;

    public InlineKeyboardMarkup? ReplyMarkup { get; } = replyMarkup;

    /// <summary>The sent message, of which nothing is read: its JSON is skipped, not built into objects.</summary>
    public sealed class Delivered;
}
