using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace TipBot.Channels.Messenger;

/// <summary>
/// Applies bot-manifests/messenger.json through the Graph API: the page's Messenger profile (Get
/// Started, greeting, persistent menu) and the page's subscription to this app's webhook; with
/// Messenger:AppId also the app's callback URL and verify token. Without it that step is printed.
/// </summary>
public sealed class MessengerRegistration(HttpClient http, IOptions<MessengerOptions> options)
{
    public async Task<IReadOnlyList<string>> ApplyAsync(JsonElement manifest, string publicUrl, CancellationToken ct)
    {
        var o = options.Value;
        var done = new List<string>();
        var token = Uri.EscapeDataString(o.PageAccessToken!);
        var fields = string.Join(',', manifest.GetProperty("webhook").GetProperty("subscribed_fields").EnumerateArray().Select(f => f.GetString()));
        var callback = publicUrl + manifest.GetProperty("webhook").GetProperty("path").GetString();

        await PostAsync($"{o.GraphApiBaseUrl}/me/messenger_profile?access_token={token}", new StringContent(manifest.GetProperty("profile").GetRawText(), Encoding.UTF8, "application/json"), ct);
        done.Add("messenger_profile: get started, greeting, persistent menu");

        if (o.AppId is { Length: > 0 } appId)
        {
            var appToken = Uri.EscapeDataString($"{appId}|{o.AppSecret}");
            await PostAsync($"{o.GraphApiBaseUrl}/{appId}/subscriptions?access_token={appToken}", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["object"] = "page", ["callback_url"] = callback, ["fields"] = fields, ["verify_token"] = o.VerifyToken ?? "",
            }), ct);
            done.Add($"app {appId} subscriptions: {callback} ({fields})");
        }
        else
        {
            done.Add($"STEP: Meta app dashboard → Messenger → Webhooks: callback URL {callback}, verify token = Messenger:VerifyToken, fields {fields} (or set Messenger:AppId and run this again)");
        }

        await PostAsync($"{o.GraphApiBaseUrl}/me/subscribed_apps?subscribed_fields={fields}&access_token={token}", null, ct);
        done.Add($"page subscribed to the app: {fields}");
        return done;
    }

    private async Task PostAsync(string url, HttpContent? body, CancellationToken ct)
    {
        using var response = await http.PostAsync(url, body, ct);
        if (response.IsSuccessStatusCode) return;
        var error = await response.Content.ReadAsStringAsync(ct);
        // The URL carries a token: name only its path.
        throw new InvalidOperationException($"Graph API {(int)response.StatusCode} for {new Uri(url).AbsolutePath}: {(error.Length > 300 ? error[..300] : error)}");
    }
}
