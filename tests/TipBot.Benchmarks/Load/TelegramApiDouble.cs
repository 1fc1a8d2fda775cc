using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TipBot.Benchmarks.Load;

/// <summary>A message the double accepted, stamped with its arrival (Stopwatch ticks, the driver's clock).</summary>
public sealed record BotMessage(long ChatId, int MessageId, string Text, string[] ButtonData, long ArrivedAt);

/// <summary>An officer alert for one tip code: how many arrived, the first one's arrival and chat.</summary>
public sealed class AlertLog(long chat, long arrivedAt)
{
    public int Count = 1;
    public long FirstChat { get; } = chat;
    public long FirstArrivedAt { get; } = arrivedAt;
}

/// <summary>
/// A stand-in for the Telegram Bot API on 127.0.0.1, with the wire shapes of
/// tests/TipBot.Server.Tests/Infrastructure/TelegramDouble.cs (POST /bot{token}/{method}, answers
/// {"ok":true,"result":…} or Telegram's error envelope), so the server's real Telegram.Bot client
/// is exercised. Residents' messages go to a per-chat inbox the driver reads; alerts to officers
/// are counted per tip code.
/// </summary>
public sealed partial class TelegramApiDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IReadOnlySet<long> _officers;
    private readonly ConcurrentDictionary<long, Channel<BotMessage>> _inboxes = new();
    private int _messageId = 1000;
    private long _sendMessage, _answerCallback, _otherMethods, _officerOther, _malformed;

    private TelegramApiDouble(WebApplication app, IReadOnlySet<long> officers)
    {
        _app = app;
        _officers = officers;
    }

    public string BaseUrl => _app.Urls.First();

    public ConcurrentDictionary<string, AlertLog> Alerts { get; } = new(StringComparer.Ordinal);

    public long SendMessageCalls => Interlocked.Read(ref _sendMessage);
    public long AnswerCallbackCalls => Interlocked.Read(ref _answerCallback);
    public void CountAnswerInWebhookResponse() => Interlocked.Increment(ref _answerCallback);
    public long OtherCalls => Interlocked.Read(ref _otherMethods) + Interlocked.Read(ref _malformed);
    public long OfficerMessagesOtherThanAlerts => Interlocked.Read(ref _officerOther);

    /// <summary>Broadcast mode: residents' messages are counted, not kept (see <see cref="UseBroadcastMode"/>).</summary>
    public BroadcastWatch? Broadcast { get; private set; }

    /// <summary>
    /// For `load --broadcast`: residents' replies are not kept in inboxes (20,000 chats), only
    /// subscription confirmations are counted, and copies of <paramref name="noticeText"/> are
    /// recorded per chat with their arrival.
    /// </summary>
    public BroadcastWatch UseBroadcastMode(string noticeText) => Broadcast = new BroadcastWatch(noticeText);

    [GeneratedRegex(@"\bTB-[0-9A-Z]{6}\b")]
    public static partial Regex TipCode();

    public static async Task<TelegramApiDouble> StartAsync(IReadOnlySet<long> officerChats)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var api = new TelegramApiDouble(app, officerChats);
        app.MapPost("/bot{token}/{method}", (HttpContext http, string method) => api.HandleAsync(http, method));
        await app.StartAsync();
        return api;
    }

    public ChannelReader<BotMessage> Inbox(long chat) => InboxOf(chat).Reader;

    private Channel<BotMessage> InboxOf(long chat) =>
        _inboxes.GetOrAdd(chat, _ => Channel.CreateUnbounded<BotMessage>(new UnboundedChannelOptions { SingleReader = true }));

    private async Task HandleAsync(HttpContext http, string method)
    {
        switch (method.ToLowerInvariant())
        {
            case "sendmessage":
                await SendMessageAsync(http);
                return;
            case "answercallbackquery":
                Interlocked.Increment(ref _answerCallback);
                await WriteAsync(http, 200, w => w.WriteBoolean("result", true));
                return;
            case "setwebhook":
            case "deletewebhook":
                Interlocked.Increment(ref _otherMethods);
                await WriteAsync(http, 200, w => w.WriteBoolean("result", true));
                return;
            default:
                Interlocked.Increment(ref _otherMethods);
                await WriteErrorAsync(http, 404, "Not Found: method not found");
                return;
        }
    }

    private async Task SendMessageAsync(HttpContext http)
    {
        long chatId;
        string text;
        string[] data;
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body);
            var root = body.RootElement;
            var chat = root.GetProperty("chat_id");
            chatId = chat.ValueKind == JsonValueKind.String ? long.Parse(chat.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : chat.GetInt64();
            text = root.GetProperty("text").GetString() ?? "";
            data = root.TryGetProperty("reply_markup", out var markup) && markup.TryGetProperty("inline_keyboard", out var keyboard)
                ? keyboard.EnumerateArray().SelectMany(row => row.EnumerateArray())
                    .Select(b => b.TryGetProperty("callback_data", out var d) ? d.GetString() ?? "" : "").ToArray()
                : [];
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            Interlocked.Increment(ref _malformed);
            await WriteErrorAsync(http, 400, "Bad Request: " + e.Message);
            return;
        }
        var arrived = Stopwatch.GetTimestamp();
        if (Broadcast is { } broadcast && !broadcast.Accept(chatId, text, arrived, out var retryAfter))
        {
            await WriteTooManyRequestsAsync(http, retryAfter);
            return;
        }
        Interlocked.Increment(ref _sendMessage);
        var id = Interlocked.Increment(ref _messageId);

        if (_officers.Contains(chatId))
        {
            var code = TipCode().Match(text);
            if (code.Success && data.Any(d => d.StartsWith("acc:", StringComparison.Ordinal)))
                Alerts.AddOrUpdate(code.Value, _ => new AlertLog(chatId, arrived), (_, log) => { Interlocked.Increment(ref log.Count); return log; });
            else
                Interlocked.Increment(ref _officerOther);
        }
        else if (Broadcast is null)
        {
            InboxOf(chatId).Writer.TryWrite(new BotMessage(chatId, id, text, data, arrived));
        }

        await WriteAsync(http, 200, w =>
        {
            w.WriteStartObject("result");
            w.WriteNumber("message_id", id);
            w.WriteNumber("date", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            w.WriteStartObject("chat");
            w.WriteNumber("id", chatId);
            w.WriteString("type", "private");
            w.WriteEndObject();
            w.WriteString("text", text);
            w.WriteEndObject();
        });
    }

    private static async Task WriteAsync(HttpContext http, int status, Action<Utf8JsonWriter> result)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        using (var w = new Utf8JsonWriter(http.Response.BodyWriter))
        {
            w.WriteStartObject();
            w.WriteBoolean("ok", true);
            result(w);
            w.WriteEndObject();
        }
        await http.Response.BodyWriter.FlushAsync();
    }

    private static async Task WriteErrorAsync(HttpContext http, int status, string description)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        using (var w = new Utf8JsonWriter(http.Response.BodyWriter))
        {
            w.WriteStartObject();
            w.WriteBoolean("ok", false);
            w.WriteNumber("error_code", status);
            w.WriteString("description", description);
            w.WriteEndObject();
        }
        await http.Response.BodyWriter.FlushAsync();
    }

    /// <summary>Telegram's 429: <c>{"ok":false,"error_code":429,"description":"Too Many Requests: retry after N","parameters":{"retry_after":N}}</c>.</summary>
    private static async Task WriteTooManyRequestsAsync(HttpContext http, int retryAfter)
    {
        http.Response.StatusCode = 429;
        http.Response.ContentType = "application/json";
        using (var w = new Utf8JsonWriter(http.Response.BodyWriter))
        {
            w.WriteStartObject();
            w.WriteBoolean("ok", false);
            w.WriteNumber("error_code", 429);
            w.WriteString("description", $"Too Many Requests: retry after {retryAfter}");
            w.WriteStartObject("parameters");
            w.WriteNumber("retry_after", retryAfter);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        await http.Response.BodyWriter.FlushAsync();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
