using System.Globalization;
using System.Text.Json;
using global::Telegram.Bot;
using global::Telegram.Bot.Types;
using global::Telegram.Bot.Types.Enums;
using TipBot.Core.Messaging;

namespace TipBot.Channels.Telegram;

/// <summary>Reads Telegram updates from the raw webhook bytes into channel-neutral messages.</summary>
public static class TelegramUpdateParser
{
    public const string Channel = "telegram";

    /// <param name="receivedAt">When the webhook arrived: a button press carries no time of its own.</param>
    public static ParsedWebhook Parse(ReadOnlySpan<byte> body, DateTimeOffset receivedAt)
    {
        Update? update;
        try
        {
            update = JsonSerializer.Deserialize<Update>(body, JsonBotAPI.Options);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or InvalidOperationException or FormatException)
        {
            return new ParsedWebhook.Invalid("body is not a Telegram update");
        }
        if (update is null) return new ParsedWebhook.Invalid("body is not a Telegram update");

        if (update.CallbackQuery is { } query) return FromCallback(query, receivedAt);
        if (update.Message is { } message) return FromMessage(message);
        return new ParsedWebhook.Ignored($"update type {update.Type}");
    }

    private static ParsedWebhook FromMessage(Message message)
    {
        if (message.Chat is null) return new ParsedWebhook.Invalid("message without chat");
        if (message.Chat.Type != ChatType.Private) return new ParsedWebhook.Ignored("not a private chat");
        var chatId = message.Chat.Id.ToString(CultureInfo.InvariantCulture);
        var attachments = new List<Attachment>();
        if (message.Photo is { Length: > 0 } photo) attachments.Add(new Attachment(AttachmentKind.Image, photo[^1].FileId));
        if (message.Video is { } video) attachments.Add(new Attachment(AttachmentKind.Video, video.FileId));
        if (message.Voice is { } voice) attachments.Add(new Attachment(AttachmentKind.Audio, voice.FileId));
        if (message.Audio is { } audio) attachments.Add(new Attachment(AttachmentKind.Audio, audio.FileId));
        if (message.Document is { } document) attachments.Add(new Attachment(AttachmentKind.File, document.FileId));
        if (message.Sticker is { } sticker) attachments.Add(new Attachment(AttachmentKind.Sticker, sticker.FileId));
        var inbound = new InboundMessage
        {
            Channel = Channel,
            ChatId = chatId,
            DeliveryId = $"{chatId}:{message.Id.ToString(CultureInfo.InvariantCulture)}",
            SentAt = new DateTimeOffset(DateTime.SpecifyKind(message.Date, DateTimeKind.Utc)),
            Text = message.Text ?? message.Caption,
            Attachments = attachments,
            Location = message.Location is { } l ? new GeoPoint(l.Latitude, l.Longitude) : null,
            LanguageHint = message.From?.LanguageCode,
        };
        return new ParsedWebhook.Messages([inbound]);
    }

    private static ParsedWebhook FromCallback(CallbackQuery query, DateTimeOffset receivedAt)
    {
        // Inline-mode callbacks have no message; TipBot only sends keyboards in private chats.
        if (query.Message?.Chat is not { } chat || string.IsNullOrEmpty(query.Id))
            return new ParsedWebhook.Ignored("callback without a chat message");
        var inbound = new InboundMessage
        {
            Channel = Channel,
            ChatId = chat.Id.ToString(CultureInfo.InvariantCulture),
            DeliveryId = "cb:" + query.Id,
            SentAt = receivedAt,
            ButtonPayload = query.Data,
            LanguageHint = query.From?.LanguageCode,
        };
        return new ParsedWebhook.Messages([inbound], query.Id);
    }
}
