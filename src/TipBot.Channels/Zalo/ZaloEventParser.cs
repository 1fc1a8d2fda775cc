using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using TipBot.Channels.Telegram;
using TipBot.Core.Messaging;

namespace TipBot.Channels.Zalo;

/// <summary>
/// Reads a Zalo OA webhook event (raw bytes, already verified) into a channel-neutral message.
/// The OA's own echoes (oa_send_*), receipts, follow and unfollow are acknowledged without a turn.
/// Ids stay strings; timestamp is epoch milliseconds as a string. Never throws on bad input.
/// </summary>
public static partial class ZaloEventParser
{
    public const string Channel = "zalo";

    /// <summary>
    /// TipBot's button payloads go out as "#" + payload: an oa.query.* button sends its payload back
    /// as the resident's own text, and the marker tells a press from typed text. ("#" is also what
    /// Zalo's "Lọc cú pháp" filter lets through.)
    /// </summary>
    public const string PayloadMarker = "#";

    [GeneratedRegex(@"^#(?<payload>[a-z][a-z0-9_]*:[A-Za-z0-9_.:\-]{1,100}|skip|cancel)$", RegexOptions.CultureInvariant)]
    private static partial Regex PressedButton();

    public static ParsedWebhook Parse(ReadOnlyMemory<byte> body, DateTimeOffset receivedAt)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            return Read(document.RootElement, receivedAt);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException or OverflowException)
        {
            return new ParsedWebhook.Invalid("body is not a Zalo OA event");
        }
    }

    private static ParsedWebhook Read(JsonElement root, DateTimeOffset receivedAt)
    {
        if (root.ValueKind != JsonValueKind.Object) return new ParsedWebhook.Invalid("body is not a JSON object");
        if (Json.String(root, "event_name") is not { Length: > 0 } eventName) return new ParsedWebhook.Invalid("no event_name");

        if (eventName.StartsWith("oa_send_", StringComparison.Ordinal)) return new ParsedWebhook.Ignored("the OA's own message");
        if (eventName is "follow" or "unfollow") return new ParsedWebhook.Ignored(eventName);
        if (!eventName.StartsWith("user_send_", StringComparison.Ordinal) && eventName != "user_click_button")
            return new ParsedWebhook.Ignored($"event {eventName}"); // user_received_message, user_seen_message, ...

        if (Json.Object(root, "sender") is not { } sender || Json.Id(sender, "id") is not { Length: > 0 } userId)
            return new ParsedWebhook.Invalid("an event without sender.id");
        var message = Json.Object(root, "message");
        if (message is null && eventName != "user_click_button") return new ParsedWebhook.Invalid("an event without message");
        var sentAt = Json.EpochMilliseconds(root, "timestamp") ?? receivedAt;
        var msgId = message is { } m ? Json.Id(m, "msg_id") : null;
        var deliveryId = msgId is { Length: > 0 }
            ? msgId
            : $"{eventName}:{userId}:{sentAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";

        var text = message is { } t ? Json.String(t, "text") : null;
        string? buttonPayload = null;
        if (eventName == "user_click_button")
        {
            buttonPayload = ButtonPayloadOf(message is { } c ? Json.String(c, "payload") ?? text : null) ?? ButtonPayloadOf(Json.String(root, "payload"));
            if (buttonPayload is null) return new ParsedWebhook.Ignored("a button without a TipBot payload");
            text = null;
        }
        else if (ButtonPayloadOf(text) is { } pressed)
        {
            buttonPayload = pressed;
            text = null;
        }

        var attachments = new List<Attachment>();
        var location = message is { } l ? LocationOf(l) : null;
        if (message is { } withAttachments && withAttachments.TryGetProperty("attachments", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var attachment in list.EnumerateArray())
            {
                if (attachment.ValueKind != JsonValueKind.Object) continue;
                var type = Json.String(attachment, "type");
                var payload = Json.Object(attachment, "payload");
                if (type == "location")
                {
                    location ??= payload is { } p ? CoordinatesOf(Json.Object(p, "coordinates") ?? p) : null;
                    continue;
                }
                var url = payload is { } u ? Json.String(u, "url") ?? Json.Id(u, "id") ?? "" : "";
                if (type == "link")
                {
                    // A shared link is read as text: the resident's words and the address.
                    text = string.Join(' ', new[] { text, url }.Where(s => !string.IsNullOrWhiteSpace(s)));
                    continue;
                }
                attachments.Add(new Attachment(KindOf(type ?? eventName["user_send_".Length..]), url));
            }
        }

        return new ParsedWebhook.Messages(
        [
            new InboundMessage
            {
                Channel = Channel,
                ChatId = userId,
                DeliveryId = deliveryId,
                SentAt = sentAt,
                Text = text,
                ButtonPayload = buttonPayload,
                Attachments = attachments,
                Location = location,
            },
        ]);
    }

    /// <summary>"#time:today" → "time:today"; anything else (typed text, a hashtag) → null.</summary>
    public static string? ButtonPayloadOf(string? text) =>
        text is not null && PressedButton().Match(text.Trim()) is { Success: true } match ? match.Groups["payload"].Value : null;

    /// <summary>The older shape: message.location {latitude, longitude}.</summary>
    private static GeoPoint? LocationOf(JsonElement message) =>
        Json.Object(message, "location") is { } location ? CoordinatesOf(location) : null;

    /// <summary>Latitude and longitude, as strings or numbers, under their full or short names.</summary>
    private static GeoPoint? CoordinatesOf(JsonElement c)
    {
        var lat = Json.Number(c, "latitude") ?? Json.Number(c, "lat");
        var lon = Json.Number(c, "longitude") ?? Json.Number(c, "long") ?? Json.Number(c, "lng");
        return lat is { } la and >= -90 and <= 90 && lon is { } lo and >= -180 and <= 180 ? new GeoPoint(la, lo) : null;
    }

    private static AttachmentKind KindOf(string type) => type switch
    {
        "image" or "gif" => AttachmentKind.Image,
        "video" => AttachmentKind.Video,
        "audio" or "voice" => AttachmentKind.Audio,
        "file" => AttachmentKind.File,
        "sticker" => AttachmentKind.Sticker,
        _ => AttachmentKind.Other,
    };
}
