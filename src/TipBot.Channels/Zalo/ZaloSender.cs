using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TipBot.Core.Messaging;

namespace TipBot.Channels.Zalo;

/// <summary>
/// Sends consultation messages (POST {ApiBaseUrl}/v3.0/oa/message/cs, header access_token).
/// Zalo answers HTTP 200 even on failure, with error != 0 in the body, so every answer is read:
/// an expired or invalid token (-216/-220) is refreshed once and the message resent once; the
/// other codes are classified into <see cref="SendFailure"/> as CHANNELS.md groups them.
/// </summary>
public sealed class ZaloSender(HttpClient http, IZaloAccessTokens tokens, ZaloThrottle throttle, IOptions<ZaloOptions> options, ILogger<ZaloSender> log) : IChannelSender
{
    /// <summary>Zalo's -32 carries no retry-after: wait this long before trying again.</summary>
    public static readonly TimeSpan RateLimitBackoff = TimeSpan.FromSeconds(60);

    public string Channel => ZaloEventParser.Channel;

    /// <summary>Limits from configuration (Zalo publishes none it holds to); 7-day consultation window.</summary>
    public ChannelCapabilities Capabilities
    {
        get
        {
            var o = options.Value;
            return new ChannelCapabilities(o.TextLimit, o.MaxButtons, o.ButtonTitleLimit, CanEditMessages: false, ReplyWindow: TimeSpan.FromDays(7));
        }
    }

    public async Task SendAsync(string chatId, Reply reply, CancellationToken ct)
    {
        var rendered = Capabilities.Render(reply);
        var first = 0;
        // Zalo fetches the image from its URL (a media template); a text that fits in one message
        // and has no buttons rides with it, else the image goes alone and the text follows.
        if (reply.Image?.PublicUrl is { } image)
        {
            var together = rendered.Parts.Count == 1 && rendered.Buttons.Count == 0;
            await SendMessageAsync(chatId, ImageBody(chatId, image, together ? rendered.Parts[0] : null), ct);
            if (together) first = 1;
        }
        for (var i = first; i < rendered.Parts.Count; i++)
        {
            var last = i == rendered.Parts.Count - 1;
            await SendMessageAsync(chatId, Body(chatId, rendered.Parts[i], last ? rendered.Buttons : []), ct);
        }
    }

    /// <summary>CHANNELS.md: "message":{"text":…,"attachment":{"type":"template","payload":{"template_type":"media","elements":[{"media_type":"image","url":…}]}}}.</summary>
    private static JsonObject ImageBody(string userId, Uri url, string? text)
    {
        var message = new JsonObject
        {
            ["attachment"] = new JsonObject
            {
                ["type"] = "template",
                ["payload"] = new JsonObject
                {
                    ["template_type"] = "media",
                    ["elements"] = new JsonArray(new JsonObject { ["media_type"] = "image", ["url"] = url.AbsoluteUri }),
                },
            },
        };
        if (text is not null) message["text"] = text;
        return new JsonObject
        {
            ["recipient"] = new JsonObject { ["user_id"] = userId },
            ["message"] = message,
        };
    }

    private async Task SendMessageAsync(string userId, JsonObject body, CancellationToken ct)
    {
        var token = await tokens.GetAsync(ct);
        var answer = await PostAsync(token, body, ct);
        if (answer.IsTokenError)
        {
            log.LogInformation("Zalo refused the access token ({Code}); refreshing it and resending once", answer.Error);
            token = await tokens.RenewAsync(token, ct);
            answer = await PostAsync(token, body, ct);
            if (answer.IsTokenError)
            {
                log.LogError("Zalo refused a freshly refreshed access token ({Code} {Message}): check Zalo:AppId and the OA's authorisation", answer.Error, answer.Message);
                throw new ChannelSendException(Channel, SendFailure.Permanent, $"access token refused after a refresh: {answer.Error} {answer.Message}");
            }
        }
        if (answer.Error != 0) throw Classify(answer);
    }

    private JsonObject Body(string userId, string text, IReadOnlyList<Button> buttons)
    {
        var message = new JsonObject { ["text"] = text };
        if (buttons.Count > 0)
        {
            var type = options.Value.ButtonType;
            message["attachment"] = new JsonObject
            {
                ["type"] = "template",
                ["payload"] = new JsonObject
                {
                    ["template_type"] = "button",
                    ["buttons"] = new JsonArray(buttons.Select(b => (JsonNode)new JsonObject
                    {
                        ["type"] = type,
                        ["title"] = b.Label,
                        ["payload"] = ZaloEventParser.PayloadMarker + b.Payload,
                    }).ToArray()),
                },
            };
        }
        return new JsonObject
        {
            ["recipient"] = new JsonObject { ["user_id"] = userId },
            ["message"] = message,
        };
    }

    private async Task<ZaloAnswer> PostAsync(string accessToken, JsonObject body, CancellationToken ct)
    {
        await throttle.WaitAsync(ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{options.Value.ApiBaseUrl.TrimEnd('/')}/v3.0/oa/message/cs")
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.TryAddWithoutValidation("access_token", accessToken);
        try
        {
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            var status = (int)response.StatusCode;
            if (status == 429) throw new ChannelSendException(Channel, SendFailure.RateLimited, "HTTP 429", RateLimitBackoff);
            if (status >= 500 || status == 408) throw new ChannelSendException(Channel, SendFailure.Transient, $"HTTP {status}");
            if (status >= 400) throw new ChannelSendException(Channel, SendFailure.Permanent, $"HTTP {status}: {Clip(text)}");
            return ZaloAnswer.Read(text) ?? throw new ChannelSendException(Channel, SendFailure.Transient, $"unexpected answer: {Clip(text)}");
        }
        catch (HttpRequestException e)
        {
            throw new ChannelSendException(Channel, SendFailure.Transient, e.Message, inner: e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new ChannelSendException(Channel, SendFailure.Transient, "Zalo did not answer in time", inner: e);
        }
    }

    private ChannelSendException Classify(ZaloAnswer a)
    {
        var what = $"error {a.Error}: {a.Message}";
        switch (a.Error)
        {
            case -32:
                return new ChannelSendException(Channel, SendFailure.RateLimited, what, RateLimitBackoff);
            case -230 or -232:
                // No interaction in the last 7 days: a consultation message waits for the resident's next one.
                return new ChannelSendException(Channel, SendFailure.OutsideWindow, "outside the 7-day consultation window; " + what);
            case -213 or -227 or -244:
                // Not following, inactive, or blocking this kind of message.
                return new ChannelSendException(Channel, SendFailure.Permanent, "resident unreachable by a consultation message; " + what);
            case -211 or -218 or -320 or -321:
                log.LogError("Zalo quota or billing stops messages ({Code} {Message}): check the OA's quota and its Zalo Cloud Account", a.Error, a.Message);
                return new ChannelSendException(Channel, SendFailure.Permanent, what);
            case -209 or -212 or -219 or -221 or -223 or -224 or -240:
                log.LogError("Zalo OA or app set-up problem ({Code} {Message}): operators must fix it in the Zalo consoles", a.Error, a.Message);
                return new ChannelSendException(Channel, SendFailure.Permanent, what);
            case -201 or -210 or -233:
                log.LogError("Zalo rejected the request as malformed ({Code} {Message})", a.Error, a.Message);
                return new ChannelSendException(Channel, SendFailure.Permanent, what);
            default:
                return new ChannelSendException(Channel, SendFailure.Transient, what);
        }
    }

    private static string Clip(string text) => text.Length > 300 ? text[..300] : text;

    private sealed record ZaloAnswer(int Error, string Message)
    {
        public bool IsTokenError => Error is -216 or -220;

        /// <summary>{"error":0,"message":"Success","data":{…}} or {"error":-216,"message":"…"}.</summary>
        public static ZaloAnswer? Read(string body)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                if (Json.Number(root, "error") is not { } error || error != Math.Floor(error) || Math.Abs(error) > int.MaxValue) return null;
                return new ZaloAnswer((int)error, Json.String(root, "message") ?? "");
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
