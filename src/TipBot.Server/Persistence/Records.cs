namespace TipBot.Server.Persistence;

// Rows of the records database. Times are UTC DateTime: SQLite cannot order DateTimeOffset.

public sealed class UnitRecord
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string Type { get; set; }
    public string? ParentCode { get; set; }
    /// <summary>Other names residents use, '|'-separated as in units.csv.</summary>
    public string Aliases { get; set; } = "";
}

public sealed class OfficerRecord
{
    public required string Id { get; set; }
    public required string FullName { get; set; }
    public required string UnitCode { get; set; }
    public required string Role { get; set; }
    public required string Channel { get; set; }
    public required string ChatId { get; set; }
    public string? Phone { get; set; }
    /// <summary>The officer's own availability (/onduty, /offduty); not part of officers.csv.</summary>
    public bool OnDuty { get; set; } = true;
}

/// <summary>A weekly shift in Vietnam time. An officer with no shifts is on duty whenever available.</summary>
public sealed class DutyShiftRecord
{
    public long Id { get; set; }
    public required string OfficerId { get; set; }
    /// <summary>ISO day of week, 1 = Monday … 7 = Sunday.</summary>
    public int Day { get; set; }
    /// <summary>Minutes after local midnight; a shift whose end is before its start runs past midnight.</summary>
    public int StartMinute { get; set; }
    public int EndMinute { get; set; }
}

/// <summary>A one-time code an admin gives an officer to link their chat account (/link CODE).</summary>
public sealed class LinkCodeRecord
{
    public required string Code { get; set; }
    public required string OfficerId { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
}

public static class AssignmentStatus
{
    public const string Alerted = "alerted";
    public const string Accepted = "accepted";
    /// <summary>Not acknowledged in time: moved to the next in line.</summary>
    public const string Moved = "moved";
    /// <summary>The officer said it is not their area; the tip went to another unit.</summary>
    public const string Declined = "declined";
}

public static class TipStatus
{
    public const string Received = "received";
    public const string Assigned = "assigned";
    public const string Accepted = "accepted";
    public const string Resolved = "resolved";
    public const string Duplicate = "duplicate";
}

public sealed class TipRecord
{
    public Guid Id { get; set; }
    /// <summary>Chosen in the dialog turn; unique, so a replayed submission is the same tip.</summary>
    public Guid SubmissionId { get; set; }
    public required string Code { get; set; }
    public required string Description { get; set; }
    public required string Category { get; set; }
    public double CategoryConfidence { get; set; }
    public bool Urgent { get; set; }
    public string? UnitCode { get; set; }
    public string? PlaceText { get; set; }
    public string? TimeText { get; set; }
    public bool Anonymous { get; set; }
    /// <summary>Encrypted (<see cref="PersonalData"/>); only where the tipster chose to share it.</summary>
    public string? ContactPhone { get; set; }
    public int EvidenceCount { get; set; }
    /// <summary>Where the reporter is reached. Never shown to officers.</summary>
    public required string ReporterChannel { get; set; }
    /// <summary>Encrypted; null once the retention period has purged it or the tipster asked for deletion.</summary>
    public string? ReporterChatId { get; set; }
    /// <summary>Keyed hash of the reporter's chat, to recognise the tipster without storing who they are.</summary>
    public required string ReporterKey { get; set; }
    public DateTime? PersonalDataPurgedAt { get; set; }
    public required string Culture { get; set; }
    public required string Status { get; set; }
    public DateTime ReceivedAt { get; set; }
    public string? AssignedUnitCode { get; set; }
    public DateTime? AcceptedAt { get; set; }
    public string? AcceptedByOfficerId { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public string? Outcome { get; set; }
    public Guid? DuplicateOfTipId { get; set; }
}

public sealed class TipEventRecord
{
    public long Id { get; set; }
    public Guid TipId { get; set; }
    public required string Kind { get; set; }
    public DateTime At { get; set; }
    public string? Detail { get; set; }
}

/// <summary>A tip handed to one officer. (TipId, Step) is unique: routing the same tip twice is one alert.</summary>
public sealed class AssignmentRecord
{
    public Guid Id { get; set; }
    public Guid TipId { get; set; }
    public int Step { get; set; }
    public required string OfficerId { get; set; }
    public required string UnitCode { get; set; }
    public required string Reason { get; set; }
    public string Status { get; set; } = AssignmentStatus.Alerted;
    public DateTime CreatedAt { get; set; }
    /// <summary>When the alert escalates if nobody has accepted the tip by then.</summary>
    public DateTime? EscalateAt { get; set; }
    /// <summary>Set while a worker is sending the alert, so two workers never send it both.</summary>
    public DateTime? AlertClaimedAt { get; set; }
    public DateTime? AlertSentAt { get; set; }
    public DateTime? AcceptedAt { get; set; }
}

/// <summary>A message to send that a command produced. Key is unique: the same notice is one row.</summary>
public sealed class OutboxRecord
{
    public Guid Id { get; set; }
    public required string Key { get; set; }
    public required string Channel { get; set; }
    /// <summary>Encrypted.</summary>
    public required string ChatId { get; set; }
    /// <summary>Keyed hash of the recipient's chat (PersonalData.ChatKey): finds their waiting messages when they write.</summary>
    public string? ChatKey { get; set; }
    public required string Text { get; set; }
    public string? ButtonsJson { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? ClaimedAt { get; set; }
    public DateTime? SentAt { get; set; }
    /// <summary>Refused as outside the platform's reply window: kept, not retried, until the recipient writes again.</summary>
    public DateTime? WaitingSince { get; set; }
    public int Attempts { get; set; }
}

/// <summary>A bot message to a web chat, read by the page's polling.</summary>
public sealed class WebChatMessageRecord
{
    public long Id { get; set; }
    public required string ChatId { get; set; }
    public required string Text { get; set; }
    public string? ButtonsJson { get; set; }
    /// <summary>An image shown above the text (a notice's), as a URL the page can load.</summary>
    public string? ImageUrl { get; set; }
    public DateTime At { get; set; }
}

/// <summary>
/// A channel's current OAuth token pair (Zalo rotates its refresh token on every use, so the new
/// pair must be stored before it is used). <see cref="Version"/> guards against two writers.
/// </summary>
public sealed class ChannelTokenRecord
{
    public required string Channel { get; set; }
    public required string AccessToken { get; set; }
    public required string RefreshToken { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public long Version { get; set; }
}

/// <summary>A resident who asked for the safety notices of one unit (/subscribe, /dangky).</summary>
public sealed class SubscriberRecord
{
    public Guid Id { get; set; }
    public required string Channel { get; set; }
    /// <summary>Encrypted.</summary>
    public required string ChatId { get; set; }
    /// <summary>Keyed hash of the chat, for lookups and the unique key.</summary>
    public required string ChatKey { get; set; }
    public required string UnitCode { get; set; }
    public required string Culture { get; set; }
    /// <summary>False after /stop, or when the platform says the resident blocked the bot.</summary>
    public bool Active { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public static class NoticeStatus
{
    /// <summary>Waits for <see cref="NoticeRecord.SendAt"/>; an admin may still cancel it.</summary>
    public const string Scheduled = "scheduled";
    public const string Queued = "queued";
    public const string Sending = "sending";
    public const string Done = "done";
    /// <summary>Cancelled while scheduled: never sent.</summary>
    public const string Cancelled = "cancelled";
}

/// <summary>A safety notice broadcast to subscribers.</summary>
public sealed class NoticeRecord
{
    public Guid Id { get; set; }
    /// <summary>The Vietnamese (default) text: what every subscriber gets unless a text in their language exists.</summary>
    public required string Text { get; set; }
    /// <summary>The English text, for subscribers who use the bot in English; null sends them <see cref="Text"/>.</summary>
    public string? TextEn { get; set; }
    /// <summary>An https image the platforms fetch themselves (given through the admin API).</summary>
    public string? ImageUrl { get; set; }
    /// <summary>An uploaded image (<see cref="NoticeImageRecord"/>), given in the console.</summary>
    public Guid? ImageId { get; set; }
    /// <summary>When a scheduled notice is planned; null for "send now".</summary>
    public DateTime? SendAt { get; set; }
    /// <summary>'|'-separated unit codes; null for every subscriber.</summary>
    public string? UnitCodes { get; set; }
    /// <summary>'|'-separated channels; null for every channel.</summary>
    public string? Channels { get; set; }
    public required string Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? PlannedAt { get; set; }
    public DateTime? DoneAt { get; set; }
}

/// <summary>
/// A JPEG or PNG uploaded in the console for a notice; stored from the preview on, so the send
/// that follows needs no second upload. Served at /notice-images/{id} (the notice is public).
/// </summary>
public sealed class NoticeImageRecord
{
    public Guid Id { get; set; }
    public required string ContentType { get; set; }
    public required byte[] Content { get; set; }
    public DateTime CreatedAt { get; set; }
}

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
}

/// <summary>One notice to one recipient. (NoticeId, Channel, ChatId) is unique: nobody gets a notice twice.</summary>
public sealed class NoticeDeliveryRecord
{
    public long Id { get; set; }
    public Guid NoticeId { get; set; }
    public required string Channel { get; set; }
    /// <summary>Encrypted.</summary>
    public required string ChatId { get; set; }
    public required string ChatKey { get; set; }
    public required string Status { get; set; }
    /// <summary>Which worker claimed it, and when: a claim older than a few minutes belongs to a dead worker.</summary>
    public Guid? ClaimToken { get; set; }
    public DateTime? ClaimedAt { get; set; }
    public DateTime? SentAt { get; set; }
    public int Attempts { get; set; }
    public required string Culture { get; set; }
}
