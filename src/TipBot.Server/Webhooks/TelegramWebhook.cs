using TipBot.Channels;
using System.Security.Cryptography;
using System.Text;
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
        IServiceProvider services,
        ILoggerFactory logs,
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
        if (parsed is ParsedWebhook.Messages { CallbackQueryId: { } queryId }) await AnswerCallbackAsync(services, queryId, logs, ct);
        return result;
    }

    private static bool SecretMatches(string? sent, string expected) =>
        sent is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(expected));

    private static async Task AnswerCallbackAsync(IServiceProvider services, string queryId, ILoggerFactory logs, CancellationToken ct)
    {
        try
        {
            await services.GetRequiredService<TelegramSender>().AnswerCallbackAsync(queryId, ct);
        }
        catch (TipBot.Channels.ChannelSendException e)
        {
            // Only the button's progress bar depends on it; the turn itself is already done.
            logs.CreateLogger("TipBot.Webhooks.Telegram").LogInformation("answerCallbackQuery failed: {Failure}", e.Failure);
        }
    }
}
