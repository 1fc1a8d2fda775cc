using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TipBot.FaultTests.Infrastructure;

public enum TelegramFault
{
    None,
    /// <summary>429 with parameters.retry_after, like Telegram's flood control.</summary>
    TooManyRequests,
    /// <summary>500 Internal Server Error; nothing delivered.</summary>
    ServerError,
    /// <summary>No answer until the fault ends (past the client's timeout if the fault is long), then the connection is cut; nothing delivered.</summary>
    Hang,
    /// <summary>Delivered at once, answered only after a delay: the platform took the message but the sender may give up waiting.</summary>
    SlowAnswer,
}

/// <summary>A message the double accepted (delivered to the chat), with which server process sent it and when.</summary>
public sealed class AcceptedMessage
{
    public required long Seq { get; init; }
    public required string Sender { get; init; }
    public required long ChatId { get; init; }
    public required string Text { get; init; }
    public required IReadOnlyList<(string Text, string Data)> Buttons { get; init; }
    public required DateTime AcceptedAt { get; init; }
    /// <summary>When the answer was written (null: the sender's connection went away first).</summary>
    public DateTime? AnsweredAt { get; set; }
    /// <summary>When the sender hung up before the answer (it died, or it stopped waiting).</summary>
    public DateTime? AbortedAt { get; set; }
}

/// <summary>
/// A stand-in for the Telegram Bot API on 127.0.0.1, answering POST /bot{token}/{method} like the
/// real API so the real Telegram.Bot client is exercised. Each server process gets a listener
/// (port) of its own as its Telegram:ApiBaseUrl, so every accepted message is known to come from
/// one process. Faults are switched on for a while on demand.
/// </summary>
public sealed class TelegramDouble : IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];
    private readonly ConcurrentQueue<AcceptedMessage> _accepted = new();
    private readonly ConcurrentDictionary<string, int> _faultAnswers = new();
    private long _seq;
    private volatile FaultWindow? _fault;

    private sealed record FaultWindow(TelegramFault Kind, DateTime Until, TimeSpan Delay);

    /// <summary>The listener for anyone else (the directory import, a test's own checks).</summary>
    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<AcceptedMessage> Accepted => _accepted.ToArray();

    /// <summary>How many requests were answered with each fault (and how many callback answers were taken).</summary>
    public IReadOnlyDictionary<string, int> FaultAnswers => _faultAnswers;

    public static async Task<TelegramDouble> StartAsync()
    {
        var double_ = new TelegramDouble();
        double_.BaseUrl = await double_.StartEndpointAsync("-");
        return double_;
    }

    /// <summary>
    /// A listener of its own for one sender: Telegram.Bot keeps only the scheme, host and port of
    /// its base URL, so the port is what tells which server process sent a message.
    /// </summary>
    public async Task<string> StartEndpointAsync(string sender)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/bot{token}/{method}", (string token, string method, HttpContext http) => HandleAsync(sender, method, http));
        app.MapFallback((HttpContext http) =>
        {
            Count($"unknown request {http.Request.Method} {http.Request.Path}");
            return Results.NotFound();
        });
        await app.StartAsync();
        lock (_apps) _apps.Add(app);
        return app.Urls.First();
    }

    /// <summary>Every request from now until <paramref name="duration"/> is over gets <paramref name="kind"/>.</summary>
    public void StartFault(TelegramFault kind, TimeSpan duration, TimeSpan? slowAnswerDelay = null) =>
        _fault = new FaultWindow(kind, DateTime.UtcNow + duration, slowAnswerDelay ?? TimeSpan.FromSeconds(5));

    public void EndFault() => _fault = null;

    private void Count(string what) => _faultAnswers.AddOrUpdate(what, 1, (_, n) => n + 1);

    private async Task HandleAsync(string sender, string method, HttpContext http)
    {
        var request = http.Request;
        var body = request.ContentLength is > 0 || request.Headers.ContentType.Count > 0
            ? await JsonNode.ParseAsync(request.Body) as JsonObject ?? []
            : [];
        var fault = _fault is { } f && f.Until > DateTime.UtcNow ? f : null;
        switch (fault?.Kind)
        {
            case TelegramFault.TooManyRequests:
                Count("429");
                await Results.Json(new { ok = false, error_code = 429, description = "Too Many Requests: retry after 1", parameters = new { retry_after = 1 } }, statusCode: 429).ExecuteAsync(http);
                return;
            case TelegramFault.ServerError:
                Count("500");
                await Results.Json(new { ok = false, error_code = 500, description = "Internal Server Error" }, statusCode: 500).ExecuteAsync(http);
                return;
            case TelegramFault.Hang:
                Count("hang");
                try
                {
                    await Task.Delay(fault.Until - DateTime.UtcNow, http.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    Count("hang-given-up-by-client");
                    return;
                }
                http.Abort();
                return;
        }

        switch (method.ToLowerInvariant())
        {
            case "sendmessage":
                var chatId = body["chat_id"]!.GetValue<long>();
                var text = body["text"]!.GetValue<string>();
                var buttons = body["reply_markup"]?["inline_keyboard"]?.AsArray()
                    .SelectMany(row => row!.AsArray())
                    .Select(b => (b!["text"]!.GetValue<string>(), b["callback_data"]!.GetValue<string>()))
                    .ToList() ?? [];
                var message = new AcceptedMessage
                {
                    Seq = Interlocked.Increment(ref _seq), Sender = sender, ChatId = chatId, Text = text, Buttons = buttons, AcceptedAt = DateTime.UtcNow,
                };
                _accepted.Enqueue(message);
                if (fault?.Kind == TelegramFault.SlowAnswer)
                {
                    Count("slow");
                    try
                    {
                        await Task.Delay(fault.Delay, http.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                        message.AbortedAt = DateTime.UtcNow;
                        return; // delivered, but the sender never heard so
                    }
                }
                await Results.Json(new
                {
                    ok = true,
                    result = new { message_id = 100000 + message.Seq, date = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), chat = new { id = chatId, type = "private" }, text },
                }).ExecuteAsync(http);
                message.AnsweredAt = DateTime.UtcNow;
                return;
            case "answercallbackquery":
                Count("answerCallbackQuery");
                await Results.Json(new { ok = true, result = true }).ExecuteAsync(http);
                return;
            default:
                await Results.Json(new { ok = false, error_code = 404, description = "Not Found: method not found" }, statusCode: 404).ExecuteAsync(http);
                return;
        }
    }

    /// <summary>Every accepted message, one a line, for reading after a run.</summary>
    public async Task WriteAsync(string path)
    {
        await using var file = new StreamWriter(path);
        await file.WriteLineAsync("seq\tsender\tchat\taccepted\tanswered\taborted\ttext\tbuttons");
        foreach (var m in Accepted)
            await file.WriteLineAsync(string.Join('\t', m.Seq, m.Sender, m.ChatId, m.AcceptedAt.ToString("HH:mm:ss.fff"), m.AnsweredAt?.ToString("HH:mm:ss.fff"),
                m.AbortedAt?.ToString("HH:mm:ss.fff"), m.Text.ReplaceLineEndings(" ").Replace('\t', ' '), string.Join(' ', m.Buttons.Select(b => b.Data))));
    }

    public async ValueTask DisposeAsync()
    {
        WebApplication[] apps;
        lock (_apps) apps = [.. _apps];
        foreach (var app in apps) await app.DisposeAsync();
    }
}
