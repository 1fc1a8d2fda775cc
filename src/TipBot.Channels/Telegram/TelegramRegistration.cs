using System.Text.Json;
using global::Telegram.Bot;
using global::Telegram.Bot.Types;
using global::Telegram.Bot.Types.Enums;

namespace TipBot.Channels.Telegram;

/// <summary>
/// Applies bot-manifests/telegram.json: the webhook with its secret and the updates we handle,
/// then commands and descriptions per language. The manifest's first language is also the
/// default, shown to users whose app language has no list of its own.
/// </summary>
public static class TelegramRegistration
{
    public static async Task<IReadOnlyList<string>> ApplyAsync(ITelegramBotClient client, JsonElement manifest, string webhookUrl, string secret, CancellationToken ct)
    {
        var done = new List<string>();
        var allowed = manifest.GetProperty("allowed_updates").EnumerateArray()
            .Select(u => Enum.Parse<UpdateType>(u.GetString()!.Replace("_", ""), ignoreCase: true)).ToList();
        await client.SetWebhook(webhookUrl, allowedUpdates: allowed, secretToken: secret, cancellationToken: ct);
        done.Add($"setWebhook {webhookUrl} (updates: {string.Join(", ", allowed)}; secret header set)");

        var first = true;
        foreach (var language in manifest.GetProperty("commands").EnumerateObject())
        {
            var commands = language.Value.EnumerateArray()
                .Select(c => new BotCommand(c.GetProperty("command").GetString()!, c.GetProperty("description").GetString()!)).ToList();
            foreach (var code in first ? new string?[] { null, language.Name } : [language.Name])
                await client.SetMyCommands(commands, languageCode: code, cancellationToken: ct);
            done.Add($"setMyCommands {language.Name}{(first ? " (and default)" : "")}: {commands.Count} commands");
            first = false;
        }
        first = true;
        foreach (var language in manifest.GetProperty("description").EnumerateObject())
        {
            var shortText = manifest.GetProperty("short_description").GetProperty(language.Name).GetString();
            foreach (var code in first ? new string?[] { null, language.Name } : [language.Name])
            {
                await client.SetMyDescription(language.Value.GetString(), code, ct);
                await client.SetMyShortDescription(shortText, code, ct);
            }
            done.Add($"setMyDescription, setMyShortDescription {language.Name}{(first ? " (and default)" : "")}");
            first = false;
        }

        var info = await client.GetWebhookInfo(ct);
        done.Add($"getWebhookInfo: {info.Url}, {info.PendingUpdateCount} pending{(info.LastErrorMessage is { Length: > 0 } e ? $", last error: {e}" : "")}");
        return done;
    }
}
