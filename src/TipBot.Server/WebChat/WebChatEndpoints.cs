using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using TipBot.Core.Messaging;
using TipBot.Server.AdminConsole.Accounts;
using TipBot.Server.Conversations;
using TipBot.Server.Directory;
using TipBot.Server.Persistence;

namespace TipBot.Server.WebChat;

public sealed record WebChatSend(string ChatId, string MessageId, string? Text, string? Payload);

public sealed record WebChatMessage(long Id, string Text, IReadOnlyList<Button> Buttons, DateTime At, string? ImageUrl = null);

public sealed record WebOfficer(string ChatId, string Name, string UnitCode);

/// <summary>
/// The web chat's API. Chat ids are chosen by the page (a random id per browser for residents).
/// Officer chats need a console sign-in (<see cref="MayUseOfficerChat"/>); resident chats need none.
/// </summary>
public static class WebChatEndpoints
{
    private const int MaxTextLength = 10_000;

    public static IEndpointRouteBuilder MapWebChat(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/webchat").DisableAntiforgery();
        group.MapPost("/messages", SendAsync);
        group.MapGet("/messages", ReadAsync);
        group.MapGet("/officers", OfficersAsync);
        return app;
    }

    private static async Task<Results<Ok, BadRequest<string>, StatusCodeHttpResult>> SendAsync(
        WebChatSend send, HttpContext http, TurnProcessor processor, DirectoryCache directory, TimeProvider clock, CancellationToken ct)
    {
        if (!ValidId(send.ChatId) || !ValidId(send.MessageId)) return TypedResults.BadRequest("chatId and messageId must be 8-64 characters of A-Z a-z 0-9 _ -");
        if (send.Text is { Length: > MaxTextLength }) return TypedResults.BadRequest("text is too long");
        if (await OfficerOf(send.ChatId, directory, ct) is { } officer && !MayUseOfficerChat(http, officer)) return TypedResults.StatusCode(StatusCodes.Status403Forbidden);

        var outcome = await processor.HandleAsync(new InboundMessage
        {
            Channel = WebChatSender.ChannelName,
            ChatId = send.ChatId,
            DeliveryId = send.MessageId,
            SentAt = clock.GetUtcNow(),
            Text = send.Payload is null ? send.Text : null,
            ButtonPayload = send.Payload,
        }, ct);
        // The page sends the same message id again: nothing is lost or doubled.
        return outcome == TurnOutcome.Postponed ? TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable) : TypedResults.Ok();
    }

    private static async Task<Results<Ok<List<WebChatMessage>>, BadRequest<string>, StatusCodeHttpResult>> ReadAsync(
        string chatId, long? after, HttpContext http, TipBotDbContext db, DirectoryCache directory, CancellationToken ct)
    {
        if (!ValidId(chatId)) return TypedResults.BadRequest("invalid chatId");
        if (await OfficerOf(chatId, directory, ct) is { } officer && !MayUseOfficerChat(http, officer)) return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        var since = after ?? 0;
        var rows = await db.WebChatMessages.AsNoTracking()
            .Where(m => m.ChatId == chatId && m.Id > since).OrderBy(m => m.Id).Take(100).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => new WebChatMessage(r.Id, r.Text,
            r.ButtonsJson is null ? [] : JsonSerializer.Deserialize<List<Button>>(r.ButtonsJson)!, r.At, r.ImageUrl)).ToList());
    }

    private static async Task<Results<Ok<List<WebOfficer>>, StatusCodeHttpResult>> OfficersAsync(HttpContext http, DirectoryCache directory, CancellationToken ct)
    {
        if (!http.User.CanAct()) return TypedResults.StatusCode(StatusCodes.Status403Forbidden);
        var units = await directory.GetAsync(ct);
        return TypedResults.Ok(units.Officers.Where(o => o.Channel == WebChatSender.ChannelName && MayUseOfficerChat(http, o))
            .OrderBy(o => o.UnitCode == "48" ? "" : o.FullName, StringComparer.Ordinal)
            .Select(o => new WebOfficer(o.ChatId, o.FullName, o.UnitCode)).ToList());
    }

    private static async Task<Core.Directory.Officer?> OfficerOf(string chatId, DirectoryCache directory, CancellationToken ct) =>
        (await directory.GetAsync(ct)).FindOfficerByChat(WebChatSender.ChannelName, chatId);

    /// <summary>
    /// A signed-in console admin may use any web officer's chat; an officer account only the chat
    /// of the officer record it is linked to (a colleague's chat would let it accept in their name).
    /// The console cookie is SameSite=Strict, so another site's page cannot post here as the officer.
    /// </summary>
    private static bool MayUseOfficerChat(HttpContext http, Core.Directory.Officer officer) =>
        http.User.IsAdmin() || (http.User.IsInRole(ConsoleRole.Officer) && http.User.OfficerId() == officer.Id);

    public static bool IsLoopback(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } ip ? IPAddress.IsLoopback(ip) : http.Connection.LocalIpAddress is null;

    private static bool ValidId(string? id) =>
        id is { Length: >= 8 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
