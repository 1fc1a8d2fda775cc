using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TipBot.Server.Persistence;

namespace TipBot.Server.Notices;

/// <summary>
/// POST /api/admin/notices. <c>text</c> is the Vietnamese (default) text; the rest is optional:
/// <c>textEn</c> for subscribers who use the bot in English, <c>sendAt</c> (ISO 8601 with offset)
/// to schedule, <c>imageUrl</c> (https) for an image sent with the text.
/// </summary>
public sealed record NoticeRequest(string? Text, string[]? UnitCodes, string[]? Channels, string? TextEn = null, string? SendAt = null, string? ImageUrl = null)
{
    /// <summary>An image uploaded in the console (<see cref="NoticeImageRecord"/>); not part of the API.</summary>
    [JsonIgnore] public Guid? ImageId { get; init; }
}

public sealed record NoticeCreated(string Id);

public sealed record NoticeProgress(string Status, int Total, int Sent, int Failed, int Skipped, DateTimeOffset? SendAt = null);

/// <summary>POST, GET and DELETE /api/admin/notices (INTERFACES.md); the work is <see cref="NoticeBroadcasts"/>, shared with the console.</summary>
public static class NoticeEndpoints
{
    public static RouteGroupBuilder MapNotices(this RouteGroupBuilder admin)
    {
        admin.MapPost("/notices", CreateAsync);
        admin.MapGet("/notices/{id}", ProgressAsync);
        admin.MapDelete("/notices/{id}", CancelAsync);
        return admin;
    }

    /// <summary>GET /notice-images/{id}: an uploaded notice image, public like the notice it goes out with.</summary>
    public static IEndpointRouteBuilder MapNoticeImages(this IEndpointRouteBuilder app)
    {
        app.MapGet($"{NoticeImages.Path}/{{id:guid}}", async Task<Results<FileContentHttpResult, NotFound>> (Guid id, TipBotDbContext db, CancellationToken ct) =>
            await db.NoticeImages.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct) is { } image
                ? TypedResults.File(image.Content, image.ContentType)
                : TypedResults.NotFound());
        return app;
    }

    private static async Task<Results<Accepted<NoticeCreated>, BadRequest<string>>> CreateAsync(NoticeRequest request, NoticeBroadcasts notices, CancellationToken ct)
    {
        var (notice, error) = await notices.CreateAsync(request, ct);
        if (notice is null) return TypedResults.BadRequest(error!.English);
        return TypedResults.Accepted($"/api/admin/notices/{notice.Id}", new NoticeCreated(notice.Id.ToString()));
    }

    private static async Task<Results<Ok<NoticeProgress>, NotFound>> ProgressAsync(string id, NoticeBroadcasts notices, CancellationToken ct) =>
        Guid.TryParse(id, out var noticeId) && await notices.ProgressAsync(noticeId, ct) is { } progress ? TypedResults.Ok(progress) : TypedResults.NotFound();

    /// <summary>Cancels a scheduled notice: 204; 409 once it has started; 404 when there is no such notice.</summary>
    private static async Task<Results<NoContent, Conflict<string>, NotFound>> CancelAsync(string id, NoticeBroadcasts notices, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var noticeId)) return TypedResults.NotFound();
        return await notices.CancelAsync(noticeId, ct) switch
        {
            CancelOutcome.Cancelled => TypedResults.NoContent(),
            CancelOutcome.AlreadyStarted => TypedResults.Conflict("only a scheduled notice that has not started can be cancelled"),
            _ => TypedResults.NotFound(),
        };
    }
}
