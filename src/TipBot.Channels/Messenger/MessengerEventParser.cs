using System.Globalization;
using System.Text.Json;
using TipBot.Channels.Telegram;
using TipBot.Core.Messaging;

namespace TipBot.Channels.Messenger;

/// <summary>
/// Reads a Messenger webhook body (raw bytes, already verified) into channel-neutral messages:
/// every entry[] and every entry[].messaging[] of a batch; echoes of the Page's own messages,
/// delivery and read receipts and other event kinds are skipped. Never throws on bad input.
/// </summary>
public static class MessengerEventParser
{
    public const string Channel = "messenger";

    public static ParsedWebhook Parse(ReadOnlyMemory<byte> body, DateTimeOffset receivedAt)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            return Read(document.RootElement, receivedAt);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException or OverflowException)
        {
            return new ParsedWebhook.Invalid("body is not a Messenger webhook event");
        }
    }

    private static ParsedWebhook Read(JsonElement root, DateTimeOffset receivedAt)
    {
        if (root.ValueKind != JsonValueKind.Object) return new ParsedWebhook.Invalid("body is not a JSON object");
        if (Json.String(root, "object") is not { } kind) return new ParsedWebhook.Invalid("no \"object\" field");
        if (!root.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
            return new ParsedWebhook.Invalid("no entry array");
        if (kind != "page") return new ParsedWebhook.Ignored($"object {kind}");

        var messages = new List<InboundMessage>();
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object) return new ParsedWebhook.Invalid("an entry is not an object");
            if (!entry.TryGetProperty("messaging", out var events)) continue; // standby or changes: not for the bot
            if (events.ValueKind != JsonValueKind.Array) return new ParsedWebhook.Invalid("messaging is not an array");
            var entryTime = Json.EpochMilliseconds(entry, "time") ?? receivedAt;
            foreach (var item in events.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object) return new ParsedWebhook.Invalid("a messaging event is not an object");
                switch (ReadEvent(item, entryTime))
                {
                    case InboundMessage message: messages.Add(message); break;
                    case string invalid: return new ParsedWebhook.Invalid(invalid);
                }
            }
        }
        return messages.Count > 0 ? new ParsedWebhook.Messages(messages) : new ParsedWebhook.Ignored("no messages for the bot");
    }

    /// <returns>An <see cref="InboundMessage"/>, a reason the event is malformed, or null for an event the bot skips.</returns>
    private static object? ReadEvent(JsonElement item, DateTimeOffset entryTime)
    {
        var hasMessage = Json.Object(item, "message") is not null;
        var hasPostback = Json.Object(item, "postback") is not null;
        if (!hasMessage && !hasPostback) return null; // delivery, read, reaction, optin, referral...
        if (hasMessage && Json.Object(item, "message") is { } echo && Json.Bool(echo, "is_echo")) return null;

        if (Json.Object(item, "sender") is not { } sender || Json.Id(sender, "id") is not { Length: > 0 } psid)
            return "an event without sender.id";
        var sentAt = Json.EpochMilliseconds(item, "timestamp") ?? entryTime;

        if (Json.Object(item, "postback") is { } postback)
        {
            var payload = Json.String(postback, "payload");
            var mid = Json.String(postback, "mid");
            // A persistent-menu or Get Started payload that is a chat command ("/start") is read as typed.
            var isCommand = payload is not null && payload.StartsWith('/');
            return new InboundMessage
            {
                Channel = Channel,
                ChatId = psid,
                DeliveryId = mid is { Length: > 0 } ? mid : $"postback:{psid}:{sentAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}",
                SentAt = sentAt,
                Text = isCommand ? payload : null,
                ButtonPayload = isCommand ? null : payload,
            };
        }

        var message = Json.Object(item, "message")!.Value;
        if (Json.String(message, "mid") is not { Length: > 0 } messageId) return "a message without mid";
        var attachments = new List<Attachment>();
        GeoPoint? location = null;
        var isStickerMessage = message.TryGetProperty("sticker_id", out _);
        if (message.TryGetProperty("attachments", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var attachment in list.EnumerateArray())
            {
                if (attachment.ValueKind != JsonValueKind.Object) continue;
                var payload = Json.Object(attachment, "payload");
                var type = Json.String(attachment, "type");
                if (type == "location")
                {
                    if (payload is { } p && Json.Object(p, "coordinates") is { } c &&
                        Json.Number(c, "lat") is { } lat && Json.Number(c, "long") is { } lon)
                        location = new GeoPoint(lat, lon);
                    continue;
                }
                var url = payload is { } q ? Json.String(q, "url") ?? "" : "";
                // Until 30 August 2026 a sticker comes both as "sticker" and as an "image" with a
                // sticker_id: either way it is a sticker, never a photo that starts a tip.
                var isSticker = type == "sticker" || (type == "image" && (isStickerMessage || (payload is { } s && s.TryGetProperty("sticker_id", out _))));
                var received = new Attachment(isSticker ? AttachmentKind.Sticker : KindOf(type), url);
                if (!attachments.Contains(received)) attachments.Add(received);
            }
        }
        return new InboundMessage
        {
            Channel = Channel,
            ChatId = psid,
            DeliveryId = messageId,
            SentAt = sentAt,
            Text = Json.String(message, "text"),
            ButtonPayload = Json.Object(message, "quick_reply") is { } quick ? Json.String(quick, "payload") : null,
            Attachments = attachments,
            Location = location,
        };
    }

    private static AttachmentKind KindOf(string? type) => type switch
    {
        "image" => AttachmentKind.Image,
        "video" => AttachmentKind.Video,
        "audio" => AttachmentKind.Audio,
        "file" => AttachmentKind.File,
        _ => AttachmentKind.Other,
    };
}
