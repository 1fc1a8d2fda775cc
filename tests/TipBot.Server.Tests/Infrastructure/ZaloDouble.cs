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

/// <summary>A consultation message the Zalo double accepted.</summary>
public sealed record ZaloMessage(string UserId, string Text, IReadOnlyList<(string Title, string Payload, string Type)> Buttons, string AccessToken);

/// <summary>
/// A local stand-in for Zalo's OpenAPI (POST /v3.0/oa/message/cs, header access_token) and OAuth
/// (POST /v4/oa/access_token, form + secret_key header). Like Zalo it answers HTTP 200 with
/// error != 0 on failure, accepts only the current access token, and rotates the refresh token on
/// each refresh: a spent refresh token is refused.
/// </summary>
public sealed class ZaloDouble : IAsyncDisposable
{
    public const string AppId = "2553928453557884079";
    public const string OaId = "3662729599332560487";
    public const string OaSecretKey = "Xk3mP9qL2vR7tY1wZ5nB";
    public const string AppSecret = "zalo-app-secret-key-test";
    public const string SeedAccessToken = "access-0";
    public const string SeedRefreshToken = "refresh-0";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ZaloMessage> _sent = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _failures = new();
    private readonly Lock _tokens = new();
    private string _accessToken = SeedAccessToken;
    private string _refreshToken = SeedRefreshToken;
    private int _refreshes, _tokenRejections, _calls;

    private ZaloDouble(WebApplication app) => _app = app;

    public string BaseUrl => _app.Urls.First();

    public IReadOnlyList<ZaloMessage> Sent => _sent.ToArray();

    public IReadOnlyList<ZaloMessage> SentTo(string userId) => _sent.Where(m => m.UserId == userId).ToArray();

    public int Refreshes => Volatile.Read(ref _refreshes);

    /// <summary>Sends refused with -216 because of their access token.</summary>
    public int TokenRejections => Volatile.Read(ref _tokenRejections);

    /// <summary>Every send that reached the double, accepted or not.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public (string Access, string Refresh) CurrentPair
    {
        get { lock (_tokens) return (_accessToken, _refreshToken); }
    }

    /// <summary>The current access token stops working, as when it expires early; the refresh token still works.</summary>
    public void InvalidateAccessToken()
    {
        lock (_tokens) _accessToken = "revoked-" + _accessToken;
    }

    /// <summary>The next <paramref name="count"/> sends to this user answer Zalo's error <paramref name="code"/>.</summary>
    public void FailNext(string userId, int count, int code)
    {
        var queue = _failures.GetOrAdd(userId, _ => new ConcurrentQueue<int>());
        for (var i = 0; i < count; i++) queue.Enqueue(code);
    }

    /// <summary>Points the host's Zalo settings at this double.</summary>
    public void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Zalo:AppId", AppId);
        builder.UseSetting("Zalo:OaSecretKey", OaSecretKey);
        builder.UseSetting("Zalo:AccessToken", SeedAccessToken);
        builder.UseSetting("Zalo:RefreshToken", SeedRefreshToken);
        builder.UseSetting("Zalo:AppSecret", AppSecret);
        builder.UseSetting("Zalo:ApiBaseUrl", BaseUrl);
        builder.UseSetting("Zalo:OAuthBaseUrl", BaseUrl);
    }

    public static async Task<ZaloDouble> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var zalo = new ZaloDouble(app);
        app.MapPost("/v3.0/oa/message/cs", zalo.SendAsync);
        app.MapPost("/v4/oa/access_token", zalo.RefreshAsync);
        await app.StartAsync();
        return zalo;
    }

    private static IResult Answer(int error, string message, object? data = null) => Results.Json(new { error, message, data });

    private async Task<IResult> SendAsync(HttpRequest request)
    {
        Interlocked.Increment(ref _calls);
        var token = request.Headers["access_token"].ToString();
        lock (_tokens)
        {
            if (token != _accessToken)
            {
                Interlocked.Increment(ref _tokenRejections);
                return Answer(-216, "Access token is invalid");
            }
        }
        var body = await JsonNode.ParseAsync(request.Body) as JsonObject;
        if (body?["recipient"]?["user_id"]?.GetValue<string>() is not { } userId || body["message"]?["text"]?.GetValue<string>() is not { } text)
            return Answer(-201, "Parameters are invalid");
        if (_failures.TryGetValue(userId, out var failures) && failures.TryDequeue(out var code))
            return Answer(code, code == -230 ? "User has not interacted with the OA in the last 7 days" : "scripted failure");

        var buttons = body["message"]?["attachment"]?["payload"]?["buttons"]?.AsArray()
            .Select(b => (b!["title"]!.GetValue<string>(), b["payload"]!.GetValue<string>(), b["type"]!.GetValue<string>())).ToList() ?? [];
        _sent.Enqueue(new ZaloMessage(userId, text, buttons, token));
        return Answer(0, "Success", new { message_id = Guid.NewGuid().ToString("N"), user_id = userId });
    }

    private async Task<IResult> RefreshAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (request.Headers["secret_key"] != AppSecret || form["app_id"] != AppId || form["grant_type"] != "refresh_token")
            return Results.Json(new { error = -14002, error_name = "Invalid parameter", error_description = "secret_key, app_id or grant_type is wrong" });
        lock (_tokens)
        {
            if (form["refresh_token"] != _refreshToken)
                return Results.Json(new { error = -14014, error_name = "Invalid parameter", error_description = "Invalid refresh token" });
            var n = Interlocked.Increment(ref _refreshes);
            (_accessToken, _refreshToken) = ($"access-{n}", $"refresh-{n}");
            return Results.Json(new { access_token = _accessToken, refresh_token = _refreshToken, expires_in = "90000" });
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>Zalo OA webhook events as CHANNELS.md shows them: ids and epoch-ms timestamps as strings.</summary>
public static class ZaloEvents
{
    private static long _user = 6_142_494_823_715_300_000;

    public static string NewUserId() => Interlocked.Increment(ref _user).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string NewMsgId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    private static string Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string UserEvent(string eventName, string userId, object message) => JsonSerializer.Serialize(new
    {
        event_name = eventName,
        app_id = ZaloDouble.AppId,
        sender = new { id = userId },
        recipient = new { id = ZaloDouble.OaId },
        message,
        timestamp = Now(),
        user_id_by_app = "979122185046046317",
    });

    public static string Text(string userId, string text, string? msgId = null) =>
        UserEvent("user_send_text", userId, new { text, msg_id = msgId ?? NewMsgId() });

    public static string Follow(string userId) => JsonSerializer.Serialize(new
    {
        app_id = ZaloDouble.AppId,
        follower = new { id = userId },
        oa_id = ZaloDouble.OaId,
        event_name = "follow",
        timestamp = Now(),
    });

    /// <summary>mac = sha256(app_id + body + timestamp + OA secret key), read from the body as Zalo does.</summary>
    public static string Sign(byte[] body, string key = ZaloDouble.OaSecretKey)
    {
        using var document = JsonDocument.Parse(body);
        var appId = document.RootElement.GetProperty("app_id").GetString()!;
        var timestamp = document.RootElement.GetProperty("timestamp").GetString()!;
        return "mac=" + Convert.ToHexString(SHA256.HashData([.. Encoding.UTF8.GetBytes(appId), .. body, .. Encoding.UTF8.GetBytes(timestamp + key)])).ToLowerInvariant();
    }
}
