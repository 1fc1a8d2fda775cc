using TipBot.Channels;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using TipBot.Channels.Telegram;
using TipBot.Server.Conversations;

namespace TipBot.Server.Webhooks;

public static class TelegramWebhook
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    public static IEndpointRouteBuilder MapTelegramWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/telegram", HandleAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpContext http,
        IOptions<TelegramOptions> telegram,
        IOptions<WebhookOptions> limits,
        TurnProcessor processor,
        TimeProvider clock,
        CancellationToken ct)
    {
        var options = telegram.Value;
        if (!options.Enabled) return Results.NotFound();
        if (!SecretMatches(http.Request.Headers[SecretHeader], options.WebhookSecret!)) return Results.Unauthorized();

        var body = await RequestBody.ReadAsync(http.Request, limits.Value.MaxBodyBytes, ct);
        if (body is null) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

        var parsed = TelegramUpdateParser.Parse(body, clock.GetUtcNow());
        var result = await processor.ProcessAsync(parsed, ct);
        // A button press is answered in the webhook's own response (the Bot API runs one method
        // given there): one HTTP call less per press. Nothing depends on it but the button's
        // progress bar, so not knowing whether it ran costs nothing.
        if (parsed is ParsedWebhook.Messages { CallbackQueryId: { } queryId } && result is Microsoft.AspNetCore.Http.HttpResults.Ok)
            return Results.Json(new AnswerCallbackQuery("answerCallbackQuery", queryId));
        return result;
    }

    private sealed record AnswerCallbackQuery(
        [property: System.Text.Json.Serialization.JsonPropertyName("method")] string Method,
        [property: System.Text.Json.Serialization.JsonPropertyName("callback_query_id")] string CallbackQueryId);

    // Compared as the strings' own UTF-16 bytes: no copies per request.
    private static bool SecretMatches(string? sent, string expected) =>
        sent is not null && CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(sent.AsSpan()), MemoryMarshal.AsBytes(expected.AsSpan()));
}
