using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TipBot.Core.Messaging;

namespace TipBot.Channels.Messenger;

/// <summary>
/// Sends through the Graph API's Send API (POST {base}/me/messages) as replies to the resident
/// (messaging_type RESPONSE); choices become quick replies. Meta's error codes are classified into
/// <see cref="SendFailure"/>: rate limits back off, blips retry, and a window or token error is
/// permanent for this message.
/// </summary>
public sealed class MessengerSender(HttpClient http, IOptions<MessengerOptions> options, ILogger<MessengerSender> log) : IChannelSender
{
    /// <summary>2000 characters of text, 13 quick replies of 20 characters, a 24-hour reply window.</summary>
    public static readonly ChannelCapabilities Capabilities = new(TextLimit: 2000, MaxButtons: 13, ButtonLabelLength: 20,
        CanEditMessages: false, ReplyWindow: TimeSpan.FromHours(24));

    /// <summary>Meta gives no retry-after with its throttling codes: wait this long before trying again.</summary>
    public static readonly TimeSpan RateLimitBackoff = TimeSpan.FromSeconds(60);

    private const int OutsideWindowCode = 10, OutsideWindowSubcode = 2018278;

    public string Channel => MessengerEventParser.Channel;

    public async Task SendAsync(string chatId, Reply reply, CancellationToken ct)
    {
        // A message has text or an attachment, not both: the image goes first, then the text. Meta
        // fetches the image from its URL, so an image without a public https URL is left out.
        if (reply.Image?.PublicUrl is { } image)
            await SendMessageAsync(chatId, ImageMessage(image), ct);
        var rendered = Capabilities.Render(reply);
        for (var i = 0; i < rendered.Parts.Count; i++)
        {
            var last = i == rendered.Parts.Count - 1;
            await SendMessageAsync(chatId, TextMessage(rendered.Parts[i], last ? rendered.Buttons : []), ct);
        }
    }

    private async Task SendMessageAsync(string psid, JsonObject message, CancellationToken ct)
    {
        var error = await PostAsync(Body(psid, message, humanAgentTag: false), ct);
        if (error is { IsOutsideWindow: true } && options.Value.UseHumanAgentTag)
        {
            // A human's answer (an officer's question, a status change) may still go out for 7 days under this tag.
            log.LogInformation("Messenger: outside the 24-hour window, resending with the HUMAN_AGENT tag");
            error = await PostAsync(Body(psid, message, humanAgentTag: true), ct);
        }
        if (error is not null) throw Classify(error);
    }

    private static JsonObject TextMessage(string text, IReadOnlyList<Button> buttons)
    {
        var message = new JsonObject { ["text"] = text };
        if (buttons.Count > 0)
            message["quick_replies"] = new JsonArray(buttons.Select(b => (JsonNode)new JsonObject
            {
                ["content_type"] = "text",
                ["title"] = b.Label,
                ["payload"] = b.Payload,
            }).ToArray());
        return message;
    }

    /// <summary>An image attachment by URL; is_reusable lets Meta keep one copy for every recipient of a broadcast.</summary>
    private static JsonObject ImageMessage(Uri url) => new()
    {
        ["attachment"] = new JsonObject
        {
            ["type"] = "image",
            ["payload"] = new JsonObject { ["url"] = url.AbsoluteUri, ["is_reusable"] = true },
        },
    };

    private static JsonObject Body(string psid, JsonObject message, bool humanAgentTag)
    {
        var body = new JsonObject
        {
            ["recipient"] = new JsonObject { ["id"] = psid },
            ["messaging_type"] = humanAgentTag ? "MESSAGE_TAG" : "RESPONSE",
            ["message"] = message.DeepClone(),
        };
        if (humanAgentTag) body["tag"] = "HUMAN_AGENT";
        return body;
    }

    /// <returns>null on success, else Meta's error.</returns>
    private async Task<GraphError?> PostAsync(JsonObject body, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(MessagesUrl(), JsonContent.Create(body), ct);
        }
        catch (HttpRequestException e)
        {
            throw new ChannelSendException(Channel, SendFailure.Transient, e.Message, inner: e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new ChannelSendException(Channel, SendFailure.Transient, "the Graph API did not answer in time", inner: e);
        }
        using (response)
        {
            if (response.IsSuccessStatusCode) return null;
            return GraphError.Read(response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        }
    }

    private string MessagesUrl()
    {
        var o = options.Value;
        var token = o.PageAccessToken!;
        // appsecret_proof lets the app require it ("Require App Secret"), so a leaked page token alone is useless.
        var proof = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(o.AppSecret!), Encoding.UTF8.GetBytes(token)));
        return $"{o.GraphApiBaseUrl.TrimEnd('/')}/me/messages?access_token={Uri.EscapeDataString(token)}&appsecret_proof={proof}";
    }

    private ChannelSendException Classify(GraphError e)
    {
        var what = $"Graph API {(int)e.Status} code {e.Code?.ToString() ?? "-"}/{e.Subcode?.ToString() ?? "-"}: {e.Message}";
        switch (e.Code)
        {
            case 613 or 4 or 32:
                return new ChannelSendException(Channel, SendFailure.RateLimited, what, RateLimitBackoff);
            case 1 or 2:
                return new ChannelSendException(Channel, SendFailure.Transient, what);
            case 190:
                log.LogError("Messenger: Meta rejects Messenger:PageAccessToken (code 190): generate a new Page access token. {Error}", e.Message);
                return new ChannelSendException(Channel, SendFailure.Permanent, what);
            case OutsideWindowCode when e.Subcode == OutsideWindowSubcode:
                return new ChannelSendException(Channel, SendFailure.OutsideWindow, "outside the 24-hour reply window; " + what);
            case 551:
                return new ChannelSendException(Channel, SendFailure.Permanent, "this person is not available; " + what);
        }
        if (e.Status == HttpStatusCode.TooManyRequests)
            return new ChannelSendException(Channel, SendFailure.RateLimited, what, RateLimitBackoff);
        // Unknown code: a server error may pass; a refused request (bad parameter, permission) will not.
        return new ChannelSendException(Channel, (int)e.Status >= 500 ? SendFailure.Transient : SendFailure.Permanent, what);
    }

    private sealed record GraphError(HttpStatusCode Status, int? Code, int? Subcode, string Message)
    {
        public bool IsOutsideWindow => Code == OutsideWindowCode && Subcode == OutsideWindowSubcode;

        /// <summary>{"error":{"message":…,"type":…,"code":190,"error_subcode":…,"fbtrace_id":…}}, or whatever a proxy answered.</summary>
        public static GraphError Read(HttpStatusCode status, string body)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (Json.Object(document.RootElement, "error") is { } error)
                    return new GraphError(status, Int(error, "code"), Int(error, "error_subcode"), Json.String(error, "message") ?? "");
            }
            catch (JsonException)
            {
            }
            return new GraphError(status, null, null, body.Length > 200 ? body[..200] : body);
        }

        private static int? Int(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : null;
    }
}
