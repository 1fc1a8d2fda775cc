using System.Text.Json;
using Microsoft.Extensions.Options;

namespace TipBot.Channels.Zalo;

/// <summary>
/// Zalo OAuth v4: trades the refresh token for a new pair (POST {OAuthBaseUrl}/v4/oa/access_token,
/// form refresh_token/app_id/grant_type, header secret_key). The old refresh token is spent by the
/// call, whatever happens next: the caller must store the answer before anything else.
/// </summary>
public sealed class ZaloOAuthClient(HttpClient http, IOptions<ZaloOptions> options)
{
    private const string Channel = ZaloEventParser.Channel;

    public async Task<ZaloTokenPair> RefreshAsync(string refreshToken, CancellationToken ct)
    {
        var o = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{o.OAuthBaseUrl.TrimEnd('/')}/v4/oa/access_token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["refresh_token"] = refreshToken,
                ["app_id"] = o.AppId ?? "",
                ["grant_type"] = "refresh_token",
            }),
        };
        request.Headers.TryAddWithoutValidation("secret_key", o.AppSecret);
        string body;
        int status;
        try
        {
            using var response = await http.SendAsync(request, ct);
            status = (int)response.StatusCode;
            body = await response.Content.ReadAsStringAsync(ct);
        }
        catch (HttpRequestException e)
        {
            throw new ChannelSendException(Channel, SendFailure.Transient, "token refresh: " + e.Message, inner: e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new ChannelSendException(Channel, SendFailure.Transient, "token refresh: Zalo OAuth did not answer in time", inner: e);
        }
        if (status >= 500) throw new ChannelSendException(Channel, SendFailure.Transient, $"token refresh: HTTP {status}");
        return Read(body) ?? throw new ChannelSendException(Channel, SendFailure.Permanent,
            $"token refresh refused (HTTP {status}): {(body.Length > 300 ? body[..300] : body)}");
    }

    /// <summary>{"access_token":…,"refresh_token":…,"expires_in":"90000"}: expires_in is a string (or a number).</summary>
    private static ZaloTokenPair? Read(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (Json.String(root, "access_token") is not { Length: > 0 } access || Json.String(root, "refresh_token") is not { Length: > 0 } refresh)
                return null;
            var seconds = Json.Number(root, "expires_in") is { } s and > 0 ? s : 90000;
            return new ZaloTokenPair(access, refresh, TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.FromDays(365).TotalSeconds)));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
