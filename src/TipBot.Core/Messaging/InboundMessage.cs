namespace TipBot.Core.Messaging;

public enum AttachmentKind { Image, Video, Audio, File, Sticker, Other }

public sealed record Attachment(AttachmentKind Kind, string Reference);

public sealed record GeoPoint(double Latitude, double Longitude);

/// <summary>
/// One message from a chat platform, in channel-neutral form. Ids are strings whatever the
/// platform uses (Telegram's long chat id in invariant culture), times are UTC.
/// </summary>
public sealed record InboundMessage
{
    /// <summary>"telegram", "messenger", "zalo" or "web".</summary>
    public required string Channel { get; init; }

    /// <summary>Where replies go: the platform's chat or user id.</summary>
    public required string ChatId { get; init; }

    /// <summary>Unique per delivery on its channel: redelivery of the same event has the same id.</summary>
    public required string DeliveryId { get; init; }

    public required DateTimeOffset SentAt { get; init; }
    public string? Text { get; init; }

    /// <summary>The payload of a pressed button (callback data, quick-reply or postback payload).</summary>
    public string? ButtonPayload { get; init; }

    public IReadOnlyList<Attachment> Attachments { get; init; } = [];
    public GeoPoint? Location { get; init; }

    /// <summary>The user's app language when the platform tells it ("vi", "en").</summary>
    public string? LanguageHint { get; init; }

    public bool IsEmpty => string.IsNullOrWhiteSpace(Text) && ButtonPayload is null && Attachments.Count == 0 && Location is null;
}
