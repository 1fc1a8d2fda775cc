using System.Net;
using System.Text;
using TipBot.Server.Tests.Infrastructure;
using static TipBot.Server.Tests.Infrastructure.ZaloEvents;

namespace TipBot.Server.Tests.Webhooks;

/// <summary>
/// Zalo settings that change behaviour (setup mode, the button limit), and the Messenger and Zalo
/// webhooks of a host where they are not configured. Each test starts its own embedded host.
/// </summary>
[Collection("integration")]
public sealed partial class ZaloConfigurationTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned)) await owned.DisposeAsync();
    }

    private static HttpRequestMessage ZaloPost(string json, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/zalo") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (signature is not null) request.Headers.Add("X-ZEvent-Signature", signature);
        return request;
    }

    [Fact]
    public async Task In_setup_mode_an_unverified_event_gets_200_and_is_dropped()
    {
        var zalo = await ZaloDouble.StartAsync();
        _owned.Add(zalo);
        var app = await TipBotApp.StartAsync(StoreMode.Embedded, b =>
        {
            zalo.Configure(b);
            b.UseSetting("Zalo:SetupMode", "true");
        });
        _owned.Add(app);
        var resident = NewUserId();

        using var unsigned = await app.CreateClient().SendAsync(ZaloPost(Text(resident, "Có người bán ma túy ở phường Hải Châu"), null));
        using var wrong = await app.CreateClient().SendAsync(ZaloPost(Text(resident, "Có người bán ma túy ở phường Hải Châu"), "mac=" + new string('0', 64)));

        Assert.Equal(HttpStatusCode.OK, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Equal(0, zalo.Calls);
        Assert.Empty(await app.TipsAsync());

        var body = Text(resident, "xin chào");
        using var signed = await app.CreateClient().SendAsync(ZaloPost(body, Sign(Encoding.UTF8.GetBytes(body))));
        Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
        Assert.NotEmpty(zalo.SentTo(resident));
    }

    [Fact]
    public async Task With_fewer_buttons_allowed_than_choices_the_question_is_numbered_and_answered_by_number()
    {
        var zalo = await ZaloDouble.StartAsync();
        _owned.Add(zalo);
        var app = await TipBotApp.StartAsync(StoreMode.Embedded, b =>
        {
            zalo.Configure(b);
            b.UseSetting("Zalo:MaxButtons", "3");
        });
        _owned.Add(app);
        var resident = NewUserId();
        async Task Deliver(string json)
        {
            using var response = await app.CreateClient().SendAsync(ZaloPost(json, Sign(Encoding.UTF8.GetBytes(json))));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        string LastText() => zalo.SentTo(resident).Last().Text;

        await Deliver(Text(resident, "Có người trộm xe máy ở phường Hải Vân"));

        // "When?" has four choices: over the limit of three, so numbered lines and no buttons.
        var question = zalo.SentTo(resident).Last();
        Assert.Empty(question.Buttons);
        var yesterday = question.Text.Split('\n').Single(l => NumberedLine().IsMatch(l) && l.EndsWith(". Hôm qua", StringComparison.Ordinal));
        await Deliver(Text(resident, yesterday.Split('.')[0]));

        // Two and three choices fit: buttons again.
        Assert.Contains(zalo.SentTo(resident).Last().Buttons, b => b.Payload == "#anon:yes");
        await Deliver(Text(resident, "#anon:yes"));
        Assert.Contains(zalo.SentTo(resident).Last().Buttons, b => b.Payload == "#confirm:send");
        await Deliver(Text(resident, "#confirm:send"));

        var tip = Assert.Single(await app.TipsAsync());
        Assert.Equal("Hôm qua", tip.TimeText);
        Assert.Contains(tip.Code, LastText());
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d+\. ")]
    private static partial System.Text.RegularExpressions.Regex NumberedLine();

    [Fact]
    public async Task Unconfigured_Messenger_and_Zalo_webhooks_answer_404()
    {
        var app = await TipBotApp.StartAsync(StoreMode.Embedded);
        _owned.Add(app);
        var client = app.CreateClient();

        using var messengerGet = await client.GetAsync("/webhooks/messenger?hub.mode=subscribe&hub.challenge=1&hub.verify_token=x");
        using var messengerPost = await client.PostAsync("/webhooks/messenger", new StringContent("{}", Encoding.UTF8, "application/json"));
        using var zaloPost = await client.SendAsync(ZaloPost(Text(NewUserId(), "alo"), "mac=" + new string('0', 64)));

        Assert.Equal(HttpStatusCode.NotFound, messengerGet.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, messengerPost.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, zaloPost.StatusCode);
    }
}
