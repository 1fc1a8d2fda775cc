using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TipBot.Server.Tests.Infrastructure;

/// <summary>A message the double accepted, as Telegram would have delivered it.</summary>
public sealed record SentMessage(long ChatId, string Text, IReadOnlyList<(string Text, string Data)> Buttons);

/// <summary>
/// A sendPhoto the double accepted. <paramref name="Photo"/> is the URL or file_id sent, or null
/// for an upload, whose bytes are <paramref name="Upload"/>; <paramref name="FileId"/> is the
/// file_id the double answered with.
/// </summary>
public sealed record SentPhoto(long ChatId, string? Photo, byte[]? Upload, string? Caption, string FileId);

/// <summary>
/// A local stand-in for the Telegram Bot API: answers POST /bot{token}/{method} the way the real
/// API does (HTTP 200 {"ok":true,"result":...}, or its error envelope), so the real Telegram.Bot
/// client is exercised. Failures can be scripted per chat.
/// </summary>
public sealed class TelegramDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<SentMessage> _sent = new();
    private readonly ConcurrentQueue<SentPhoto> _photos = new();
    private readonly ConcurrentDictionary<long, int> _failuresLeft = new();
    private readonly ConcurrentDictionary<long, int> _statusForFailures = new();
    private readonly ConcurrentDictionary<long, TimeSpan> _answerLate = new();
    private int _messageId = 1000;

    public ConcurrentQueue<string> Calls { get; } = new();
    private string? _webhookUrl;

    /// <summary>The body of every set-up call (setWebhook, setMyCommands…), in order.</summary>
    public ConcurrentQueue<(string Method, JsonObject Body)> SetupCalls { get; } = new();

    private TelegramDouble(WebApplication app) => _app = app;

    public string BaseUrl => _app.Urls.First();

    public IReadOnlyList<SentMessage> Sent => _sent.ToArray();

    public IReadOnlyList<SentMessage> SentTo(long chatId) => _sent.Where(m => m.ChatId == chatId).ToArray();

    /// <summary>Every sendPhoto, in the order the double took them.</summary>
    public IReadOnlyList<SentPhoto> Photos => _photos.ToArray();

    /// <summary>The next <paramref name="count"/> sendMessage calls to this chat answer <paramref name="status"/>.</summary>
    public void FailNext(long chatId, int count, int status = 500)
    {
        _failuresLeft[chatId] = count;
        _statusForFailures[chatId] = status;
    }

    /// <summary>
    /// The next sendMessage to this chat is taken (it shows in <see cref="Sent"/> at once) but
    /// answered only after <paramref name="delay"/>: a platform slow to confirm what it delivered.
    /// </summary>
    public void AnswerLate(long chatId, TimeSpan delay) => _answerLate[chatId] = delay;

    public static async Task<TelegramDouble> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var double_ = new TelegramDouble(app);
        app.MapPost("/bot{token}/{method}", double_.HandleAsync);
        await app.StartAsync();
        return double_;
    }

    private async Task<IResult> HandleAsync(string token, string method, HttpRequest request)
    {
        Calls.Enqueue(method);
        // Telegram.Bot posts JSON, or multipart/form-data when it uploads a file (fields as text parts).
        JsonObject body = [];
        IFormFile? upload = null;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            foreach (var field in form) body[field.Key] = field.Value.ToString();
            upload = form.Files.FirstOrDefault();
        }
        else if (request.ContentLength is > 0 || request.Headers.ContentType.Count > 0)
            body = await JsonNode.ParseAsync(request.Body) as JsonObject ?? [];
        switch (method.ToLowerInvariant())
        {
            case "sendmessage":
                var chatId = body["chat_id"]!.GetValue<long>();
                if (_failuresLeft.TryGetValue(chatId, out var left) && left > 0)
                {
                    _failuresLeft[chatId] = left - 1;
                    var status = _statusForFailures[chatId];
                    return Results.Json(new { ok = false, error_code = status, description = status == 429 ? "Too Many Requests: retry after 1" : "Internal Server Error", parameters = status == 429 ? new { retry_after = 1 } : null }, statusCode: status);
                }
                var text = body["text"]!.GetValue<string>();
                var buttons = body["reply_markup"]?["inline_keyboard"]?.AsArray()
                    .SelectMany(row => row!.AsArray())
                    .Select(b => (b!["text"]!.GetValue<string>(), b["callback_data"]!.GetValue<string>()))
                    .ToList() ?? [];
                _sent.Enqueue(new SentMessage(chatId, text, buttons));
                if (_answerLate.TryRemove(chatId, out var late)) await Task.Delay(late);
                var id = Interlocked.Increment(ref _messageId);
                return Results.Json(new
                {
                    ok = true,
                    result = new { message_id = id, date = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), chat = new { id = chatId, type = "private" }, text },
                });
            case "sendphoto":
            {
                var photoChat = long.Parse(body["chat_id"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture);
                byte[]? bytes = null;
                if (upload is not null)
                {
                    using var buffer = new MemoryStream();
                    await upload.CopyToAsync(buffer);
                    bytes = buffer.ToArray();
                }
                var fileId = upload is null && body["photo"]?.ToString() is { } given && given.StartsWith("photo-file-", StringComparison.Ordinal)
                    ? given
                    : $"photo-file-{Interlocked.Increment(ref _messageId)}";
                _photos.Enqueue(new SentPhoto(photoChat, upload is null ? body["photo"]?.ToString() : null, bytes, body["caption"]?.ToString(), fileId));
                return Results.Json(new
                {
                    ok = true,
                    result = new
                    {
                        message_id = Interlocked.Increment(ref _messageId), date = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), chat = new { id = photoChat, type = "private" },
                        caption = body["caption"]?.ToString(),
                        photo = new[]
                        {
                            new { file_id = fileId + "-small", file_unique_id = fileId + "-u-small", width = 90, height = 90 },
                            new { file_id = fileId, file_unique_id = fileId + "-u", width = 800, height = 600 },
                        },
                    },
                });
            }
            case "answercallbackquery":
                return Results.Json(new { ok = true, result = true });
            case "setwebhook":
            case "setmycommands":
            case "setmydescription":
            case "setmyshortdescription":
                SetupCalls.Enqueue((method, body));
                if (method.Equals("setwebhook", StringComparison.OrdinalIgnoreCase)) _webhookUrl = body["url"]?.GetValue<string>();
                return Results.Json(new { ok = true, result = true });
            case "getwebhookinfo":
                return Results.Json(new { ok = true, result = new { url = _webhookUrl ?? "", has_custom_certificate = false, pending_update_count = 0 } });
            default:
                return Results.Json(new { ok = false, error_code = 404, description = "Not Found: method not found" }, statusCode: 404);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
