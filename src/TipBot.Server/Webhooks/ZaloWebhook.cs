using TipBot.Channels;
using Microsoft.Extensions.Options;
using TipBot.Channels.Telegram;
using TipBot.Channels.Zalo;
using TipBot.Server.Conversations;

namespace TipBot.Server.Webhooks;

public static class ZaloWebhook
{
    public static IEndpointRouteBuilder MapZaloWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/zalo", HandleAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext http,
        IOptions<ZaloOptions> zalo,
        IOptions<WebhookOptions> limits,
        TurnProcessor processor,
        ILoggerFactory logs,
        TimeProvider clock,
        CancellationToken ct)
    {
        var options = zalo.Value;
        if (!options.Enabled) return Results.NotFound();

        var body = await RequestBody.ReadAsync(http.Request, limits.Value.MaxBodyBytes, ct);
        if (body is null) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        if (!ZaloSignature.Verify(body, http.Request.Headers[ZaloSignature.Header], options.OaSecretKey!))
        {
            var log = logs.CreateLogger("TipBot.Webhooks.Zalo");
            if (options.SetupMode)
            {
                // Zalo's console saves the webhook URL only on a 200, and its test call may not verify.
                log.LogWarning("Zalo event with a missing or wrong signature dropped (Zalo:SetupMode answers 200); {Bytes} bytes", body.Length);
                return Results.Ok();
            }
            log.LogWarning("Zalo event with a missing or wrong signature refused");
            return Results.Unauthorized();
        }

        // follow, unfollow, echoes and receipts are acknowledged without a turn
        return await processor.ProcessAsync(ZaloEventParser.Parse(body, clock.GetUtcNow()), ct);
    }
}
