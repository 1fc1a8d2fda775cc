using TipBot.Channels;
using Microsoft.Extensions.Options;
using TipBot.Channels.Messenger;
using TipBot.Channels.Telegram;
using TipBot.Server.Conversations;

namespace TipBot.Server.Webhooks;

public static class MessengerWebhook
{
    public static IEndpointRouteBuilder MapMessengerWebhook(this IEndpointRouteBuilder app)
    {
        app.MapGet("/webhooks/messenger", Handshake);
        app.MapPost("/webhooks/messenger", HandleAsync).DisableAntiforgery();
        return app;
    }

    /// <summary>Meta's subscription check: echo hub.challenge when hub.verify_token is ours.</summary>
    private static IResult Handshake(HttpRequest request, IOptions<MessengerOptions> messenger)
    {
        var options = messenger.Value;
        if (!options.Enabled) return Results.NotFound();
        var query = request.Query;
        if (query["hub.mode"] != "subscribe" || !MessengerSignature.VerifyTokenMatches(query["hub.verify_token"], options.VerifyToken))
            return Results.Unauthorized();
        return Results.Text(query["hub.challenge"].ToString(), "text/plain");
    }

    private static async Task<IResult> HandleAsync(
        HttpContext http,
        IOptions<MessengerOptions> messenger,
        IOptions<WebhookOptions> limits,
        TurnProcessor processor,
        ILoggerFactory logs,
        TimeProvider clock,
        CancellationToken ct)
    {
        var options = messenger.Value;
        if (!options.Enabled) return Results.NotFound();

        // The signature covers the exact bytes Meta sent, so they are read once and never re-serialised.
        var body = await RequestBody.ReadAsync(http.Request, limits.Value.MaxBodyBytes, ct);
        if (body is null) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        if (!MessengerSignature.Verify(body, http.Request.Headers[MessengerSignature.Header], options.AppSecret!))
        {
            logs.CreateLogger("TipBot.Webhooks.Messenger").LogWarning("Messenger event with a missing or wrong signature refused");
            return Results.Unauthorized();
        }

        // A batch is processed in order; a redelivered batch skips what was done (keyed on mid).
        return await processor.ProcessAsync(MessengerEventParser.Parse(body, clock.GetUtcNow()), ct);
    }
}
