using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;
using static TipBot.Server.Tests.Infrastructure.MessengerEvents;

namespace TipBot.Server.Tests.Webhooks;

/// <summary>
/// A resident's tip over Messenger, end to end through the real host: signed webhook → dialog →
/// replies as quick replies on the Graph API double → tip code; on both store modes.
/// </summary>
[Collection("integration")]
public abstract partial class MessengerTipFlowTests(StoreMode mode) : IAsyncLifetime
{
    private TipBotApp _app = null!;
    private MessengerDouble _graph = null!;

    public async Task InitializeAsync()
    {
        _graph = await MessengerDouble.StartAsync();
        _app = await TipBotApp.StartAsync(mode, _graph.Configure);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _graph.DisposeAsync();
    }

    [GeneratedRegex(@"TB-[0-9A-Z]{6}")]
    private static partial Regex TipCodePattern();

    private async Task<HttpResponseMessage> PostAsync(string json, Func<byte[], string?>? sign = null)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/messenger") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if ((sign ?? (b => Sign(b)))(body) is { } signature) request.Headers.Add("X-Hub-Signature-256", signature);
        return await _app.CreateClient().SendAsync(request);
    }

    private async Task DeliverAsync(params JsonObject[] events) => await DeliverEntriesAsync(events);

    private async Task DeliverEntriesAsync(params JsonObject[][] entries)
    {
        using var response = await PostAsync(Batch(entries));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Taps the quick reply with this payload on the last message that offered it.</summary>
    private async Task TapAsync(string psid, string payload)
    {
        var offered = _graph.SentTo(psid).LastOrDefault(m => m.QuickReplies.Any(q => q.Payload == payload));
        Assert.True(offered is not null, $"no quick reply {payload} was offered; got: {string.Join(" | ", _graph.SentTo(psid).Select(m => m.Text))}");
        await DeliverAsync(QuickReplyEvent(psid, offered.QuickReplies.First(q => q.Payload == payload).Title, payload));
    }

    private async Task<string> ReportDrugTipInHaiChauAsync(string psid)
    {
        await DeliverAsync(TextEvent(psid, "Tối qua có nhóm thanh niên bán ma túy ở phường Hải Châu, gần chợ"));
        await TapAsync(psid, "time:yesterday");
        await TapAsync(psid, "anon:yes");
        await TapAsync(psid, "confirm:send");
        var match = TipCodePattern().Match(_graph.SentTo(psid).Last().Text);
        Assert.True(match.Success, $"expected a tip code in: {_graph.SentTo(psid).Last().Text}");
        return match.Value;
    }

    [Fact]
    public async Task Resident_tip_over_Messenger_offers_quick_replies_gets_a_code_and_hears_when_it_is_accepted()
    {
        var resident = NewPsid();

        var code = await ReportDrugTipInHaiChauAsync(resident);

        var replies = _graph.SentTo(resident);
        Assert.All(replies, r => Assert.Equal("RESPONSE", r.MessagingType));
        Assert.All(replies, r => Assert.True(r.QuickReplies.All(q => q.Title.Length <= 20)));
        var tip = Assert.Single(await _app.TipsAsync());
        Assert.Equal(code, tip.Code);
        Assert.Equal("messenger", tip.ReporterChannel);
        Assert.DoesNotContain(resident, tip.ReporterChatId); // encrypted at rest
        Assert.Equal(resident, _app.Services.GetRequiredService<PersonalData>().Unprotect(tip.ReporterChatId!));
        Assert.Equal("20242", tip.UnitCode);
        Assert.Equal("drugs", tip.Category);

        // The officer (on Telegram in the test directory) accepts; the resident is told on Messenger.
        var alert = await Eventually.Get(() => _app.Telegram.SentTo(TipBotApp.HaiChauOfficer).FirstOrDefault(m => m.Text.Contains(code)), m => m is not null, "the alert");
        Assert.DoesNotContain(resident, alert!.Text);
        await _app.SendAsync(TelegramUpdates.Button(TipBotApp.HaiChauOfficer, alert.Buttons.First(b => b.Data.StartsWith("acc:", StringComparison.Ordinal)).Data));
        var told = await Eventually.Get(() => _graph.SentTo(resident).FirstOrDefault(m => m.Text.Contains("tiếp nhận") && m.Text.Contains(code)),
            m => m is not null, "the resident to be told on Messenger");
        Assert.Contains("Phường Hải Châu", told!.Text);
    }

    [Fact]
    public async Task Same_event_delivered_twice_produces_one_set_of_replies()
    {
        var resident = NewPsid();
        var first = TextEvent(resident, "Có người trộm xe máy ở phường Hải Vân");

        await DeliverAsync(first);
        var afterFirst = _graph.SentTo(resident).Count;
        await DeliverAsync(first);

        Assert.True(afterFirst > 0);
        Assert.Equal(afterFirst, _graph.SentTo(resident).Count);
    }

    [Fact]
    public async Task A_batch_with_two_residents_echoes_and_receipts_answers_each_resident()
    {
        var (lan, minh) = (NewPsid(), NewPsid());
        var echo = Event(MessengerDouble.PageId, new { is_echo = true, app_id = 1517776481860111, mid = NewMid(), text = "echo" });
        var read = Event(lan, new { watermark = 1458668856253 }, "read");

        await DeliverEntriesAsync([TextEvent(lan, "Có người bán ma túy ở phường Hải Châu"), echo], [read, TextEvent(minh, "xin chào")]);

        Assert.NotEmpty(_graph.SentTo(lan));
        Assert.NotEmpty(_graph.SentTo(minh));
        Assert.Empty(_graph.SentTo(MessengerDouble.PageId));
    }

    [Fact]
    public async Task A_get_started_postback_greets_with_the_menu()
    {
        var resident = NewPsid();

        await DeliverAsync(PostbackEvent(resident, "Get Started", "/start"));

        Assert.Contains(_graph.SentTo(resident), m => m.QuickReplies.Any(q => q.Payload == "menu:report"));
    }

    [Fact]
    public async Task Outside_the_24_hour_window_the_turn_still_completes_and_the_webhook_answers_200()
    {
        var resident = NewPsid();
        _graph.FailNext(resident, count: 1, code: 10, subcode: 2018278);

        await DeliverAsync(TextEvent(resident, "Có người trộm xe máy ở phường Hải Vân"));

        // The refused reply is dropped as undeliverable; the conversation goes on.
        await TapAsync(resident, "time:today");
        Assert.Contains(_graph.SentTo(resident), m => m.QuickReplies.Any(q => q.Payload == "anon:yes"));
    }

    [Fact]
    public async Task Messages_refused_outside_the_window_wait_for_the_resident_and_the_officer_is_told()
    {
        var resident = NewPsid();
        var code = await ReportDrugTipInHaiChauAsync(resident);
        var alert = await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code);

        // A day later Meta refuses messages to the resident until they write again.
        _graph.FailNext(resident, count: 2, code: 10, subcode: 2018278);
        await _app.SendAsync(TelegramUpdates.Button(TipBotApp.HaiChauOfficer, alert.Button("acc:")));
        var actions = await _app.MessageAsync(TipBotApp.HaiChauOfficer, m => m.Text.Contains("Bạn đã tiếp nhận") && m.Text.Contains(code), "accept confirmation");
        await _app.SendAsync(TelegramUpdates.Button(TipBotApp.HaiChauOfficer, actions.Button("ask:")));
        await _app.SendAsync(TelegramUpdates.Text(TipBotApp.HaiChauOfficer, "Nhóm đó thường đi xe gì?"));

        var told = await _app.MessageAsync(TipBotApp.HaiChauOfficer, m => m.Text.StartsWith("⏳") && m.Text.Contains(code), "officer told the question waits");
        await Eventually.Get(() => _app.WithDbAsync(db => db.Outbox.CountAsync(o => o.WaitingSince != null)), n => n == 2, "both messages waiting");
        Assert.DoesNotContain(_graph.SentTo(resident), m => m.Text.Contains("Nhóm đó thường đi xe gì?"));

        // The resident writes: both go out, once each, and nothing waits any more.
        await DeliverAsync(TextEvent(resident, "xin chào"));
        var question = await Eventually.Get(() => _graph.SentTo(resident).FirstOrDefault(m => m.Text.Contains("Nhóm đó thường đi xe gì?")), m => m is not null, "question delivered");
        Assert.Contains(code, question!.Text);
        await Eventually.Get(() => _graph.SentTo(resident).FirstOrDefault(m => m.Text.Contains("tiếp nhận") && m.Text.Contains(code)), m => m is not null, "accepted notice delivered");
        await Eventually.Get(() => _app.WithDbAsync(db => db.Outbox.CountAsync(o => o.SentAt == null)), n => n == 0, "outbox empty");
        Assert.Single(_graph.SentTo(resident), m => m.Text.Contains("Nhóm đó thường đi xe gì?"));
        Assert.Single(_app.Telegram.SentTo(TipBotApp.HaiChauOfficer), m => m.Text == told.Text);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("zeros")]
    [InlineData("other-secret")]
    [InlineData("sha1")]
    public async Task Wrong_or_missing_signature_is_refused_and_the_Graph_API_receives_nothing(string kind)
    {
        var resident = NewPsid();
        Func<byte[], string?> sign = kind switch
        {
            "missing" => _ => null,
            "zeros" => _ => "sha256=" + new string('0', 64),
            "other-secret" => b => Sign(b, "another-app-secret"),
            _ => _ => "sha1=5bd2f5d1a0b2d8bd1ac3a9c5e3b7cb0a0d5c0f1e",
        };

        using var response = await PostAsync(Batch(TextEvent(resident, "Có người bán ma túy ở phường Hải Châu")), sign);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, _graph.Calls);
        Assert.Empty(await _app.TipsAsync());
    }

    [Fact]
    public async Task A_signature_over_other_bytes_than_those_sent_is_refused()
    {
        var resident = NewPsid();
        var json = Batch(TextEvent(resident, "Có người bán ma túy ở phường Hải Châu"));
        var reEncoded = Encoding.UTF8.GetBytes(JsonNode.Parse(json)!.ToJsonString(
            new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

        using var response = await PostAsync(json, _ => Sign(reEncoded));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, _graph.Calls);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"object\":\"page\",\"entry\":{}}")]
    [InlineData("{\"object\":\"page\",\"entry\":[{\"messaging\":[{\"message\":{\"mid\":\"m_1\",\"text\":\"no sender\"}}]}]}")]
    public async Task Malformed_signed_body_is_answered_400(string body)
    {
        using var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Oversized_body_is_answered_413()
    {
        using var response = await PostAsync(Batch(TextEvent(NewPsid(), new string('a', 2 * 1024 * 1024))));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task The_verification_handshake_echoes_the_challenge_for_the_right_verify_token()
    {
        using var response = await _app.CreateClient().GetAsync($"/webhooks/messenger?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={MessengerDouble.VerifyToken}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1158201444", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=wrong")]
    [InlineData("hub.mode=subscribe&hub.challenge=1158201444")]
    [InlineData("hub.mode=unsubscribe&hub.challenge=1158201444&hub.verify_token=" + MessengerDouble.VerifyToken)]
    public async Task The_verification_handshake_is_refused_without_the_right_verify_token(string query)
    {
        using var response = await _app.CreateClient().GetAsync("/webhooks/messenger?" + query);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

public sealed class MessengerTipFlowOnEmbeddedStores() : MessengerTipFlowTests(StoreMode.Embedded);

public sealed class MessengerTipFlowOnRedisAndPostgres() : MessengerTipFlowTests(StoreMode.Production);
