using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TipBot.Server.Tests.Infrastructure;

/// <summary>A message the Graph API double accepted.</summary>
public sealed record MessengerMessage(string RecipientId, string Text, IReadOnlyList<(string Title, string Payload)> QuickReplies, string MessagingType, string? Tag);

/// <summary>
/// A local stand-in for the Graph API Send API: POST /{version}/me/messages?access_token=…
/// answered as Meta does ({"recipient_id","message_id"}, or an {"error":{…}} body with a 4xx/5xx),
/// with failures scriptable per recipient.
/// </summary>
public sealed class MessengerDouble : IAsyncDisposable
{
    public const string AppSecret = "9c1f4e2a7b3d8e5f6a0b1c2d3e4f5a6b";
    public const string VerifyToken = "meatyhamhock";
    public const string PageAccessToken = "EAAGm0PX4ZCpsBAKZC7ZBtestpagetoken";
    public const string PageId = "1029384756473829";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<MessengerMessage> _sent = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, int Code, int? Subcode)>> _failures = new();
    private int _calls;

    private MessengerDouble(WebApplication app) => _app = app;

    public string BaseUrl => _app.Urls.First();

    /// <summary>Every call that reached the double, accepted or not.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyList<MessengerMessage> Sent => _sent.ToArray();

    public IReadOnlyList<MessengerMessage> SentTo(string psid) => _sent.Where(m => m.RecipientId == psid).ToArray();

    /// <summary>The next <paramref name="count"/> sends to this PSID answer Meta's error <paramref name="code"/>.</summary>
    public void FailNext(string psid, int count, int code, int? subcode = null, int status = 400)
    {
        var queue = _failures.GetOrAdd(psid, _ => new ConcurrentQueue<(int, int, int?)>());
        for (var i = 0; i < count; i++) queue.Enqueue((status, code, subcode));
    }

    /// <summary>Points the host's Messenger settings at this double.</summary>
    public void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Messenger:AppSecret", AppSecret);
        builder.UseSetting("Messenger:VerifyToken", VerifyToken);
        builder.UseSetting("Messenger:PageAccessToken", PageAccessToken);
        builder.UseSetting("Messenger:GraphApiBaseUrl", BaseUrl + "/v25.0");
    }

    public static async Task<MessengerDouble> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var graph = new MessengerDouble(app);
        app.MapPost("/{version}/me/messages", graph.HandleAsync);
        app.MapPost("/{version}/{node}/{edge}", graph.HandleSetupAsync);
        await app.StartAsync();
        return graph;
    }

    private static IResult Error(int status, int code, int? subcode, string message) =>
        Results.Json(new { error = new { message, type = "OAuthException", code, error_subcode = subcode, fbtrace_id = "BLBz/WZt8dN" } }, statusCode: status);

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        Interlocked.Increment(ref _calls);
        if (request.Query["access_token"] != PageAccessToken) return Error(400, 190, 460, "Invalid OAuth access token.");
        var body = await JsonNode.ParseAsync(request.Body) as JsonObject;
        if (body?["recipient"]?["id"]?.GetValue<string>() is not { } psid || body["message"]?["text"]?.GetValue<string>() is not { } text)
            return Error(400, 100, null, "(#100) The parameter recipient is required");
        if (text.Length > 2000) return Error(400, 100, null, "(#100) Length of param message[text] must be less than or equal to 2000");

        if (_failures.TryGetValue(psid, out var failures) && failures.TryDequeue(out var failure))
            return Error(failure.Status, failure.Code, failure.Subcode, failure.Subcode == 2018278
                ? "(#10) This message is sent outside of allowed window."
                : $"(#{failure.Code}) scripted failure");

        var quickReplies = body["message"]?["quick_replies"]?.AsArray()
            .Select(q => (q!["title"]!.GetValue<string>(), q["payload"]!.GetValue<string>())).ToList() ?? [];
        if (quickReplies.Count > 13 || quickReplies.Any(q => q.Item1.Length > 20))
            return Error(400, 100, null, "(#100) Invalid quick_replies");
        _sent.Enqueue(new MessengerMessage(psid, text, quickReplies, body["messaging_type"]?.GetValue<string>() ?? "", body["tag"]?.GetValue<string>()));
        return Results.Json(new { recipient_id = psid, message_id = "m_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N")[..28] });
    }

    /// <summary>Set-up calls (messenger_profile, subscribed_apps, subscriptions): path, query and body.</summary>
    public ConcurrentQueue<(string Path, IQueryCollection Query, string Body)> SetupCalls { get; } = new();

    private async Task<IResult> HandleSetupAsync(string node, string edge, HttpRequest request)
    {
        var body = await new StreamReader(request.Body).ReadToEndAsync();
        SetupCalls.Enqueue(($"{node}/{edge}", request.Query, body));
        var token = request.Query["access_token"].ToString();
        var expected = edge == "subscriptions" ? $"{node}|{AppSecret}" : PageAccessToken;
        return token != expected ? Error(400, 190, 460, "Invalid OAuth access token.") : Results.Json(new { success = true });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>Messenger webhook bodies as Meta sends them: realistic ids, epoch-ms times, non-ASCII \u-escaped.</summary>
public static class MessengerEvents
{
    private static long _psid = 6_754_312_098_700_000;

    public static string NewPsid() => Interlocked.Increment(ref _psid).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string NewMid() => "m_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(46)).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static JsonObject Event(string psid, object content, string kind = "message") => new()
    {
        ["sender"] = new JsonObject { ["id"] = psid },
        ["recipient"] = new JsonObject { ["id"] = MessengerDouble.PageId },
        ["timestamp"] = Now(),
        [kind] = JsonSerializer.SerializeToNode(content),
    };

    public static JsonObject TextEvent(string psid, string text, string? mid = null) => Event(psid, new { mid = mid ?? NewMid(), text });

    public static JsonObject QuickReplyEvent(string psid, string title, string payload, string? mid = null) =>
        Event(psid, new { mid = mid ?? NewMid(), text = title, quick_reply = new { payload } });

    public static JsonObject PostbackEvent(string psid, string title, string payload) => Event(psid, new { mid = NewMid(), title, payload }, "postback");

    public static string Batch(params JsonObject[] events) => Batch([events]);

    /// <summary>One entry per array of events.</summary>
    public static string Batch(params JsonObject[][] entries) => new JsonObject
    {
        ["object"] = "page",
        ["entry"] = new JsonArray(entries.Select(events => (JsonNode)new JsonObject
        {
            ["id"] = MessengerDouble.PageId,
            ["time"] = Now(),
            ["messaging"] = new JsonArray(events.Select(e => (JsonNode)e.DeepClone()).ToArray()),
        }).ToArray()),
    }.ToJsonString(); // the default encoder escapes non-ASCII as \uXXXX, as Meta does

    public static string Sign(byte[] body, string secret = MessengerDouble.AppSecret) =>
        "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)).ToLowerInvariant();
}
