using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TipBot.Core.Text;
using TipBot.Server.Directory;
using TipBot.Server.Persistence;

namespace TipBot.Server.Notices;

public sealed record NoticeRequest(string? Text, string[]? UnitCodes, string[]? Channels);

public sealed record NoticeCreated(string Id);

public sealed record NoticeProgress(string Status, int Total, int Sent, int Failed, int Skipped);

/// <summary>POST /api/admin/notices and GET /api/admin/notices/{id} (INTERFACES.md).</summary>
public static class NoticeEndpoints
{
    public const int MaxTextLength = 4000;
    private static readonly HashSet<string> KnownChannels = ["telegram", "messenger", "zalo", "web"];

    public static RouteGroupBuilder MapNotices(this RouteGroupBuilder admin)
    {
        admin.MapPost("/notices", CreateAsync);
        admin.MapGet("/notices/{id}", ProgressAsync);
        return admin;
    }

    private static async Task<Results<Accepted<NoticeCreated>, BadRequest<string>>> CreateAsync(
        NoticeRequest request, TipBotDbContext db, DirectoryCache directory, IBackgroundJobClient jobs, TimeProvider clock, CancellationToken ct)
    {
        var text = VietnameseText.Normalize(request.Text).Trim();
        if (text.Length == 0) return TypedResults.BadRequest("text is required");
        if (text.Length > MaxTextLength) return TypedResults.BadRequest($"text is longer than {MaxTextLength} characters");
        var units = await directory.GetAsync(ct);
        if (request.UnitCodes?.FirstOrDefault(c => units.FindUnit(c) is null) is { } unknown)
            return TypedResults.BadRequest($"unknown unit code {unknown}");
        if (request.Channels?.FirstOrDefault(c => !KnownChannels.Contains(c)) is { } channel)
            return TypedResults.BadRequest($"unknown channel {channel}");

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
        return TypedResults.Accepted($"/api/admin/notices/{notice.Id}", new NoticeCreated(notice.Id.ToString()));
    }

    private static async Task<Results<Ok<NoticeProgress>, NotFound>> ProgressAsync(string id, TipBotDbContext db, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var noticeId)) return TypedResults.NotFound();
        var notice = await db.Notices.AsNoTracking().FirstOrDefaultAsync(n => n.Id == noticeId, ct);
        if (notice is null) return TypedResults.NotFound();
        var counts = await db.NoticeDeliveries.AsNoTracking().Where(d => d.NoticeId == noticeId)
            .GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return TypedResults.Ok(new NoticeProgress(notice.Status, counts.Values.Sum(),
            counts.GetValueOrDefault(DeliveryStatus.Sent), counts.GetValueOrDefault(DeliveryStatus.Failed), counts.GetValueOrDefault(DeliveryStatus.Skipped)));
    }
}
