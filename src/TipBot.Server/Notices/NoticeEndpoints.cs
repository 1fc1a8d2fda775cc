using Microsoft.AspNetCore.Http.HttpResults;

namespace TipBot.Server.Notices;

public sealed record NoticeRequest(string? Text, string[]? UnitCodes, string[]? Channels);

public sealed record NoticeCreated(string Id);

public sealed record NoticeProgress(string Status, int Total, int Sent, int Failed, int Skipped);

/// <summary>POST /api/admin/notices and GET /api/admin/notices/{id} (INTERFACES.md); the work is <see cref="NoticeBroadcasts"/>, shared with the console.</summary>
public static class NoticeEndpoints
{
    public static RouteGroupBuilder MapNotices(this RouteGroupBuilder admin)
    {
        admin.MapPost("/notices", CreateAsync);
        admin.MapGet("/notices/{id}", ProgressAsync);
        return admin;
    }

    private static async Task<Results<Accepted<NoticeCreated>, BadRequest<string>>> CreateAsync(NoticeRequest request, NoticeBroadcasts notices, CancellationToken ct)
    {
        var (notice, error) = await notices.CreateAsync(request, ct);
        if (notice is null) return TypedResults.BadRequest(error!);
        return TypedResults.Accepted($"/api/admin/notices/{notice.Id}", new NoticeCreated(notice.Id.ToString()));
    }

    private static async Task<Results<Ok<NoticeProgress>, NotFound>> ProgressAsync(string id, NoticeBroadcasts notices, CancellationToken ct) =>
        Guid.TryParse(id, out var noticeId) && await notices.ProgressAsync(noticeId, ct) is { } progress ? TypedResults.Ok(progress) : TypedResults.NotFound();
}
