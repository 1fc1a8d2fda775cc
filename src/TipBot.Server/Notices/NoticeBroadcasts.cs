using System.Globalization;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using TipBot.Core.Text;
using TipBot.Server.Directory;
using TipBot.Server.Persistence;

namespace TipBot.Server.Notices;

/// <summary>
/// Creating a notice and reading its progress: one implementation behind both the admin API
/// (POST/GET/DELETE /api/admin/notices) and the console's broadcast pages.
/// </summary>
public sealed class NoticeBroadcasts(TipBotDbContext db, DirectoryCache directory, IBackgroundJobClient jobs, TimeProvider clock)
{
    public const int MaxTextLength = 4000;
    public const int MaxImageUrlLength = 2000;
    /// <summary>How far ahead a notice may be scheduled: further than this is more likely a mistyped year than a plan.</summary>
    public static readonly TimeSpan LongestSchedule = TimeSpan.FromDays(30);
    public static readonly IReadOnlyList<string> KnownChannels = ["telegram", "messenger", "zalo", "web"];

    /// <summary>What would be sent, or why not; nothing is stored.</summary>
    public async Task<(NoticeDraft? Draft, NoticeError? Error)> ValidateAsync(NoticeRequest request, CancellationToken ct)
    {
        var text = VietnameseText.Normalize(request.Text ?? "").Trim();
        if (text.Length == 0) return (null, new("NoticeError_TextRequired"));
        if (text.Length > MaxTextLength) return (null, new("NoticeError_TextTooLong", MaxTextLength));
        var textEn = VietnameseText.Normalize(request.TextEn ?? "").Trim();
        if (textEn.Length > MaxTextLength) return (null, new("NoticeError_TextEnTooLong", MaxTextLength));
        var units = await directory.GetAsync(ct);
        if (request.UnitCodes?.FirstOrDefault(c => units.FindUnit(c) is null) is { } unknown)
            return (null, new("NoticeError_UnknownUnit", unknown));
        if (request.Channels?.FirstOrDefault(c => !KnownChannels.Contains(c)) is { } channel)
            return (null, new("NoticeError_UnknownChannel", channel));

        DateTime? sendAt = null;
        if (!string.IsNullOrWhiteSpace(request.SendAt))
        {
            if (ParseInstant(request.SendAt) is not { } at) return (null, new("NoticeError_SendAtFormat"));
            var now = clock.GetUtcNow();
            if (at <= now) return (null, new("NoticeError_SendAtPast"));
            if (at > now + LongestSchedule) return (null, new("NoticeError_SendAtTooFar", (int)LongestSchedule.TotalDays));
            sendAt = at.UtcDateTime;
        }

        string? imageUrl = null;
        if (!string.IsNullOrWhiteSpace(request.ImageUrl))
        {
            imageUrl = request.ImageUrl.Trim();
            if (imageUrl.Length > MaxImageUrlLength || !Uri.TryCreate(imageUrl, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
                return (null, new("NoticeError_ImageUrl"));
        }
        if (request.ImageId is { } imageId && !await db.NoticeImages.AnyAsync(i => i.Id == imageId, ct))
            return (null, new("NoticeError_ImageMissing"));

        return (new NoticeDraft(text, textEn.Length == 0 ? null : textEn, sendAt, imageUrl, request.ImageId), null);
    }

    /// <summary>
    /// ISO 8601 with an explicit offset (or Z): a time without one could mean the server's zone or
    /// Vietnam's, and a notice an hour or seven early is worse than a 400.
    /// </summary>
    public static DateTimeOffset? ParseInstant(string text)
    {
        text = text.Trim();
        return WithOffset.IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;
    }

    private static readonly System.Text.RegularExpressions.Regex WithOffset = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    /// <summary>Stores the notice and queues its fan-out (now, or at its time); the error is a short reason for a 400.</summary>
    public async Task<(NoticeRecord? Notice, NoticeError? Error)> CreateAsync(NoticeRequest request, CancellationToken ct)
    {
        var (draft, error) = await ValidateAsync(request, ct);
        if (draft is null) return (null, error);
        var notice = new NoticeRecord
        {
            Id = Guid.NewGuid(),
            Text = draft.Text,
            TextEn = draft.TextEn,
            ImageUrl = draft.ImageUrl,
            ImageId = draft.ImageId,
            SendAt = draft.SendAt,
            UnitCodes = request.UnitCodes is null ? null : string.Join('|', request.UnitCodes.Distinct()),
            Channels = request.Channels is null ? null : string.Join('|', request.Channels.Distinct()),
            Status = draft.SendAt is null ? NoticeStatus.Queued : NoticeStatus.Scheduled,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Notices.Add(notice);
        await db.SaveChangesAsync(ct);
        // The record is the truth: if this job is lost, the sweep plans a queued notice, or a scheduled one once due.
        if (draft.SendAt is { } at)
            jobs.Schedule<BroadcastJob>(j => j.PlanAsync(notice.Id, CancellationToken.None), new DateTimeOffset(at, TimeSpan.Zero));
        else
            jobs.Enqueue<BroadcastJob>(j => j.PlanAsync(notice.Id, CancellationToken.None));
        return (notice, null);
    }

    /// <summary>Cancels a scheduled notice that has not started; false when there is none or it already started.</summary>
    public async Task<CancelOutcome> CancelAsync(Guid noticeId, CancellationToken ct)
    {
        // One conditional update: PlanAsync moves the notice out of "scheduled" the same way, so exactly one of them wins.
        var cancelled = await db.Notices.Where(n => n.Id == noticeId && n.Status == NoticeStatus.Scheduled).ExecuteUpdateAsync(s => s
            .SetProperty(n => n.Status, NoticeStatus.Cancelled)
            .SetProperty(n => n.DoneAt, clock.GetUtcNow().UtcDateTime), ct);
        if (cancelled == 1) return CancelOutcome.Cancelled;
        return await db.Notices.AnyAsync(n => n.Id == noticeId, ct) ? CancelOutcome.AlreadyStarted : CancelOutcome.NotFound;
    }

    public async Task<NoticeProgress?> ProgressAsync(Guid noticeId, CancellationToken ct)
    {
        var notice = await db.Notices.AsNoTracking().FirstOrDefaultAsync(n => n.Id == noticeId, ct);
        if (notice is null) return null;
        var counts = await db.NoticeDeliveries.AsNoTracking().Where(d => d.NoticeId == noticeId)
            .GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return new NoticeProgress(notice.Status, counts.Values.Sum(),
            counts.GetValueOrDefault(DeliveryStatus.Sent), counts.GetValueOrDefault(DeliveryStatus.Failed), counts.GetValueOrDefault(DeliveryStatus.Skipped),
            notice.SendAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null);
    }

    /// <summary>Notices waiting for their time, soonest first (the console lists them so they can be cancelled).</summary>
    public Task<List<NoticeRecord>> ScheduledAsync(CancellationToken ct) =>
        db.Notices.AsNoTracking().Where(n => n.Status == NoticeStatus.Scheduled).OrderBy(n => n.SendAt).Take(50).ToListAsync(ct);

    /// <summary>How many active subscriptions the notice would reach now (the preview; the plan may differ slightly by send time).</summary>
    public Task<int> AudienceAsync(NoticeRequest request, CancellationToken ct) =>
        Audience(request).Select(s => new { s.Channel, s.ChatKey }).Distinct().CountAsync(ct);

    /// <summary>Of <see cref="AudienceAsync"/>, how many use the bot in English (and get the English text when there is one).</summary>
    public Task<int> EnglishAudienceAsync(NoticeRequest request, CancellationToken ct) =>
        Audience(request).Where(s => s.Culture == "en").Select(s => new { s.Channel, s.ChatKey }).Distinct().CountAsync(ct);

    private IQueryable<SubscriberRecord> Audience(NoticeRequest request)
    {
        var subscribers = db.Subscribers.AsNoTracking().Where(s => s.Active);
        if (request.UnitCodes is { } units) subscribers = subscribers.Where(s => units.Contains(s.UnitCode));
        if (request.Channels is { } channels) subscribers = subscribers.Where(s => channels.Contains(s.Channel));
        return subscribers;
    }
}

/// <summary>A valid notice, as it would be stored.</summary>
public sealed record NoticeDraft(string Text, string? TextEn, DateTime? SendAt, string? ImageUrl, Guid? ImageId);

public enum CancelOutcome { Cancelled, AlreadyStarted, NotFound }

/// <summary>Why a notice was refused: a console resource key and its arguments, English for the API, the admin's language in the console.</summary>
public sealed record NoticeError(string Key, params object[] Args)
{
    public string English => AdminConsole.ConsoleText.In("en", Key, Args);

    public string Localized => AdminConsole.ConsoleText.Text(Key, Args);
}
