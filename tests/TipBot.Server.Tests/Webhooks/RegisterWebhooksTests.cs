using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Server.Channels;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Webhooks;

/// <summary>`register-webhooks --public-url URL` applies bot-manifests/ through each configured channel's API (test doubles).</summary>
[Collection("integration")]
public sealed class RegisterWebhooksTests : IAsyncLifetime
{
    private const string PublicUrl = "https://tipbot.congan.danang.gov.vn";
    private TipBotApp _app = null!;
    private MessengerDouble _graph = null!;
    private ZaloDouble _zalo = null!;

    public async Task InitializeAsync()
    {
        _graph = await MessengerDouble.StartAsync();
        _zalo = await ZaloDouble.StartAsync();
        _app = await TipBotApp.StartAsync(StoreMode.Embedded, b =>
        {
            _graph.Configure(b);
            b.UseSetting("Messenger:AppId", "1517776481860111");
            _zalo.Configure(b);
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _graph.DisposeAsync();
        await _zalo.DisposeAsync();
    }

    private async Task<(int Exit, string Output)> RegisterAsync()
    {
        var output = new StringWriter();
        var exit = await _app.Services.GetRequiredService<WebhookRegistration>()
            .RunAsync(new Uri(PublicUrl + "/"), Path.Combine(AppContext.BaseDirectory, "bot-manifests"), output, CancellationToken.None);
        return (exit, output.ToString());
    }

    [Fact]
    public async Task Telegram_gets_the_webhook_with_its_secret_and_commands_and_descriptions_in_both_languages()
    {
        var (exit, output) = await RegisterAsync();

        Assert.Equal(0, exit);
        var calls = _app.Telegram.SetupCalls.ToList();
        var webhook = Assert.Single(calls, c => c.Method == "setWebhook").Body;
        Assert.Equal(PublicUrl + "/webhooks/telegram", webhook["url"]!.GetValue<string>());
        Assert.Equal(TipBotApp.Secret, webhook["secret_token"]!.GetValue<string>());
        Assert.Equal(["message", "callback_query"], webhook["allowed_updates"]!.AsArray().Select(u => u!.GetValue<string>()));

        var commands = calls.Where(c => c.Method == "setMyCommands").Select(c => c.Body).ToList();
        Assert.Equal([null, "vi", "en"], commands.Select(c => c["language_code"]?.GetValue<string>()));
        Assert.Contains(commands[1]["commands"]!.AsArray(), c => c!["command"]!.GetValue<string>() == "status" && c["description"]!.GetValue<string>() == "Tra cứu tin báo theo mã");
        Assert.Equal(3, calls.Count(c => c.Method == "setMyDescription"));
        Assert.Contains("telegram: getWebhookInfo: " + PublicUrl + "/webhooks/telegram", output);
    }

    [Fact]
    public async Task Messenger_gets_its_profile_the_apps_callback_and_the_page_subscription()
    {
        var (exit, _) = await RegisterAsync();

        Assert.Equal(0, exit);
        var calls = _graph.SetupCalls.ToList();
        var profile = Assert.Single(calls, c => c.Path == "me/messenger_profile");
        Assert.Contains("\"get_started\"", profile.Body);
        Assert.Contains("Báo tin", profile.Body);
        var app = Assert.Single(calls, c => c.Path == "1517776481860111/subscriptions");
        Assert.Contains("callback_url=" + Uri.EscapeDataString(PublicUrl + "/webhooks/messenger"), app.Body);
        Assert.Contains("verify_token=" + MessengerDouble.VerifyToken, app.Body);
        var page = Assert.Single(calls, c => c.Path == "me/subscribed_apps");
        Assert.Equal("messages,messaging_postbacks", page.Query["subscribed_fields"].ToString());
    }

    [Fact]
    public async Task Zalo_has_no_api_for_it_so_its_steps_are_printed_with_the_public_url()
    {
        var (_, output) = await RegisterAsync();

        Assert.Contains($"zalo: STEP 2: Start TipBot with Zalo:SetupMode=true, enter {PublicUrl}/webhooks/zalo", output);
        Assert.Contains("Báo tin → #menu:report", output);
    }

    [Fact]
    public async Task A_refusing_platform_fails_the_command_and_says_which()
    {
        await using var wrong = await TipBotApp.StartAsync(StoreMode.Embedded, b =>
        {
            _graph.Configure(b);
            b.UseSetting("Messenger:PageAccessToken", "EAAG-revoked");
        });
        var output = new StringWriter();

        var exit = await wrong.Services.GetRequiredService<WebhookRegistration>()
            .RunAsync(new Uri(PublicUrl), Path.Combine(AppContext.BaseDirectory, "bot-manifests"), output, CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Contains("messenger: FAILED: Graph API 400 for /v25.0/me/messenger_profile", output.ToString());
        Assert.DoesNotContain("EAAG-revoked", output.ToString());
        Assert.Contains("telegram: setWebhook", output.ToString());
    }
}
