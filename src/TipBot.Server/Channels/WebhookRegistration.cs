using System.Text.Json;
using Microsoft.Extensions.Options;
using TipBot.Channels.Messenger;
using TipBot.Channels.Telegram;
using TipBot.Channels.Zalo;

namespace TipBot.Server.Channels;

/// <summary>
/// `register-webhooks --public-url URL`: applies bot-manifests/ to every configured channel
/// through its API; what a platform offers no API for (Zalo's webhook and OA menu) is printed as
/// steps. Idempotent: run it again after changing a manifest or the public address.
/// </summary>
public sealed class WebhookRegistration(IServiceProvider services, IOptions<TelegramOptions> telegram, IOptions<MessengerOptions> messenger, IOptions<ZaloOptions> zalo)
{
    public async Task<int> RunAsync(Uri publicUrl, string manifests, TextWriter output, CancellationToken ct)
    {
        var root = publicUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var failed = 0;
        async Task Channel(string name, bool enabled, Func<JsonElement, Task<IReadOnlyList<string>>> apply)
        {
            if (!enabled)
            {
                await output.WriteLineAsync($"{name}: not configured, skipped");
                return;
            }
            try
            {
                using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(manifests, $"{name}.json"), ct));
                foreach (var line in await apply(manifest.RootElement)) await output.WriteLineAsync($"{name}: {line}");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed++;
                await output.WriteLineAsync($"{name}: FAILED: {e.Message}");
            }
        }

        await Channel("telegram", telegram.Value.Enabled, m => TelegramRegistration.ApplyAsync(
            services.GetRequiredService<TelegramSender>().Client, m, root + "/webhooks/telegram", telegram.Value.WebhookSecret!, ct));
        await Channel("messenger", messenger.Value.Enabled, m => services.GetRequiredService<MessengerRegistration>().ApplyAsync(m, root, ct));
        await Channel("zalo", zalo.Value.Enabled, m => Task.FromResult(ZaloSteps(m, root)));
        return failed == 0 ? 0 : 1;
    }

    // Zalo has no API for an app's webhook or an OA's menu: the manifest lists the console steps.
    private static IReadOnlyList<string> ZaloSteps(JsonElement manifest, string root) =>
        manifest.GetProperty("manual_steps").EnumerateArray()
            .Select((step, i) => $"STEP {i + 1}: {step.GetString()!.Replace("{public_url}", root, StringComparison.Ordinal)}")
            .Append("menu items: " + string.Join("; ", manifest.GetProperty("menu").GetProperty("vi").EnumerateArray()
                .Select(item => $"{item.GetProperty("title").GetString()} → {item.GetProperty("payload").GetString()}")))
            .ToList();
}
