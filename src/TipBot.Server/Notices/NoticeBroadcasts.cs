using Hangfire;
using Microsoft.EntityFrameworkCore;
using TipBot.Core.Text;
using TipBot.Server.Directory;
using TipBot.Server.Persistence;

namespace TipBot.Server.Notices;

/// <summary>
/// Creating a notice and reading its progress: one implementation behind both the admin API
/// (POST/GET /api/admin/notices) and the console's broadcast pages.
/// </summary>
public sealed class NoticeBroadcasts(TipBotDbContext db, DirectoryCache directory, IBackgroundJobClient jobs, TimeProvider clock)
{
    public const int MaxTextLength = 4000;
    public static readonly IReadOnlyList<string> KnownChannels = ["telegram", "messenger", "zalo", "web"];

    /// <summary>What would be sent, or why not; nothing is stored.</summary>
    public async Task<(string? Text, string? Error)> ValidateAsync(NoticeRequest request, CancellationToken ct)
    {
        var text = VietnameseText.Normalize(request.Text).Trim();
        if (text.Length == 0) return (null, "text is required");
        if (text.Length > MaxTextLength) return (null, $"text is longer than {MaxTextLength} characters");
        var units = await directory.GetAsync(ct);
        if (request.UnitCodes?.FirstOrDefault(c => units.FindUnit(c) is null) is { } unknown)
            return (null, $"unknown unit code {unknown}");
        if (request.Channels?.FirstOrDefault(c => !KnownChannels.Contains(c)) is { } channel)
            return (null, $"unknown channel {channel}");
        return (text, null);
    }

    /// <summary>Stores the notice and queues its fan-out; the error is a short reason for a 400.</summary>
    public async Task<(NoticeRecord? Notice, string? Error)> CreateAsync(NoticeRequest request, CancellationToken ct)
    {
        var (text, error) = await ValidateAsync(request, ct);
        if (text is null) return (null, error);
        var notice = new NoticeRecord
        {
            Id = Guid.NewGuid(),
            Text = text,
            UnitCodes = request.UnitCodes is null ? null : string.Join('|', request.UnitCodes.Distinct()),
            Channels = request.Channels is null ? null : string.Join('|', request.Channels.Distinct()),
            Status = NoticeStatus.Queued,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Notices.Add(notice);
        await db.SaveChangesAsync(ct);
        jobs.Enqueue<BroadcastJob>(j => j.PlanAsync(notice.Id, CancellationToken.None));
        return (notice, null);
    }

    public async Task<NoticeProgress?> ProgressAsync(Guid noticeId, CancellationToken ct)
    {
        var notice = await db.Notices.AsNoTracking().FirstOrDefaultAsync(n => n.Id == noticeId, ct);
        if (notice is null) return null;
        var counts = await db.NoticeDeliveries.AsNoTracking().Where(d => d.NoticeId == noticeId)
            .GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return new NoticeProgress(notice.Status, counts.Values.Sum(),
            counts.GetValueOrDefault(DeliveryStatus.Sent), counts.GetValueOrDefault(DeliveryStatus.Failed), counts.GetValueOrDefault(DeliveryStatus.Skipped));
    }

    /// <summary>How many active subscriptions the notice would reach now (the preview; the plan may differ slightly by send time).</summary>
    public Task<int> AudienceAsync(NoticeRequest request, CancellationToken ct)
    {
        var subscribers = db.Subscribers.AsNoTracking().Where(s => s.Active);
        if (request.UnitCodes is { } units) subscribers = subscribers.Where(s => units.Contains(s.UnitCode));
        if (request.Channels is { } channels) subscribers = subscribers.Where(s => channels.Contains(s.Channel));
        return subscribers.Select(s => new { s.Channel, s.ChatKey }).Distinct().CountAsync(ct);
    }
}
