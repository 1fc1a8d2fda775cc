using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Server.Jobs;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;
using static TipBot.Server.Tests.Infrastructure.ZaloEvents;

namespace TipBot.Server.Tests.Webhooks;

/// <summary>
/// A resident's tip over a Zalo OA, end to end through the real host: signed event → dialog →
/// consultation messages with buttons on the Zalo double → tip code; token refresh on -216 with
/// the new pair stored; on both store modes.
/// </summary>
[Collection("integration")]
public abstract partial class ZaloTipFlowTests(StoreMode mode) : IAsyncLifetime
{
    private TipBotApp _app = null!;
    private ZaloDouble _zalo = null!;

    public async Task InitializeAsync()
    {
        _zalo = await ZaloDouble.StartAsync();
        _app = await TipBotApp.StartAsync(mode, _zalo.Configure);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _zalo.DisposeAsync();
    }

    [GeneratedRegex(@"TB-[0-9A-Z]{6}")]
    private static partial Regex TipCodePattern();

    private async Task<HttpResponseMessage> PostAsync(string json, Func<byte[], string?>? sign = null)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/zalo") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if ((sign ?? (b => Sign(b)))(body) is { } signature) request.Headers.Add("X-ZEvent-Signature", signature);
        return await _app.CreateClient().SendAsync(request);
    }

    private async Task DeliverAsync(string json)
    {
        using var response = await PostAsync(json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Presses the button with this payload: an oa.query.show button sends its payload back as the resident's text.</summary>
    private async Task PressAsync(string user, string payload)
    {
        var offered = _zalo.SentTo(user).LastOrDefault(m => m.Buttons.Any(b => b.Payload == "#" + payload));
        Assert.True(offered is not null, $"no button {payload} was offered; got: {string.Join(" | ", _zalo.SentTo(user).Select(m => m.Text))}");
        await DeliverAsync(Text(user, offered.Buttons.First(b => b.Payload == "#" + payload).Payload));
    }

    private string LastCode(string user)
    {
        var last = _zalo.SentTo(user).Last().Text;
        var match = TipCodePattern().Match(last);
        Assert.True(match.Success, $"expected a tip code in: {last}");
        return match.Value;
    }

    private async Task<string> ReportDrugTipInHaiChauAsync(string user)
    {
        await DeliverAsync(Text(user, "Tối qua có nhóm thanh niên bán ma túy ở phường Hải Châu, gần chợ"));
        await PressAsync(user, "time:yesterday");
        await PressAsync(user, "anon:yes");
        await PressAsync(user, "confirm:send");
        return LastCode(user);
    }

    [Fact]
    public async Task Resident_tip_over_Zalo_offers_buttons_and_gets_a_tip_code()
    {
        var resident = NewUserId();

        var code = await ReportDrugTipInHaiChauAsync(resident);

        var replies = _zalo.SentTo(resident);
        Assert.All(replies, r => Assert.True(r.Text.Length <= 500));
        Assert.All(replies.SelectMany(r => r.Buttons), b => Assert.Equal("oa.query.show", b.Type));
        var tip = Assert.Single(await _app.TipsAsync());
        Assert.Equal(code, tip.Code);
        Assert.Equal("zalo", tip.ReporterChannel);
        Assert.DoesNotContain(resident, tip.ReporterChatId); // encrypted at rest
        Assert.Equal(resident, _app.Services.GetRequiredService<PersonalData>().Unprotect(tip.ReporterChatId!));
        Assert.Equal("20242", tip.UnitCode);
        Assert.Equal("drugs", tip.Category);
        await Eventually.Get(() => _app.Telegram.SentTo(TipBotApp.HaiChauOfficer).Any(m => m.Text.Contains(code)), sent => sent, "the officer's alert");
    }

    [Fact]
    public async Task A_user_click_button_event_is_taken_as_the_press()
    {
        var resident = NewUserId();
        await DeliverAsync(Text(resident, "Có người trộm xe máy ở phường Hải Vân"));

        await DeliverAsync(UserEvent("user_click_button", resident, new { msg_id = NewMsgId(), payload = "#time:today" }));

        Assert.Contains(_zalo.SentTo(resident), m => m.Buttons.Any(b => b.Payload == "#anon:yes"));
    }

    [Fact]
    public async Task Same_event_delivered_twice_produces_one_set_of_replies()
    {
        var resident = NewUserId();
        var first = Text(resident, "Có người trộm xe máy ở phường Hải Vân");

        await DeliverAsync(first);
        var afterFirst = _zalo.SentTo(resident).Count;
        await DeliverAsync(first);

        Assert.True(afterFirst > 0);
        Assert.Equal(afterFirst, _zalo.SentTo(resident).Count);
    }

    [Fact]
    public async Task A_refused_access_token_is_refreshed_once_the_new_pair_stored_and_the_message_resent_once()
    {
        var resident = NewUserId();
        await DeliverAsync(Text(resident, "Có người trộm xe máy ở phường Hải Vân"));
        var before = _zalo.SentTo(resident).Count;
        _zalo.InvalidateAccessToken();

        await PressAsync(resident, "time:today");

        Assert.Equal(1, _zalo.Refreshes);
        Assert.Equal(1, _zalo.TokenRejections);
        var after = _zalo.SentTo(resident).Skip(before).ToList();
        var anonQuestion = Assert.Single(after, m => m.Buttons.Any(b => b.Payload == "#anon:yes"));
        Assert.Equal("access-1", anonQuestion.AccessToken);
        var stored = await _app.WithDbAsync(db => db.ChannelTokens.AsNoTracking().SingleAsync(t => t.Channel == "zalo"));
        Assert.DoesNotContain("access-1", stored.AccessToken + stored.RefreshToken); // encrypted at rest
        Assert.Equal(("access-1", "refresh-1"), (Open(stored.AccessToken), Open(stored.RefreshToken)));
        Assert.Equal(_zalo.CurrentPair, (Open(stored.AccessToken), Open(stored.RefreshToken)));
        Assert.Equal(1, stored.Version);
        Assert.True(stored.ExpiresAt > DateTime.UtcNow.AddHours(24));
    }

    [Fact]
    public async Task Sends_refused_at_the_same_time_share_one_refresh()
    {
        var residents = Enumerable.Range(0, 4).Select(_ => NewUserId()).ToList();
        await DeliverAsync(Text(residents[0], "xin chào")); // seeds the stored pair
        _zalo.InvalidateAccessToken();

        await Task.WhenAll(residents.Select(r => DeliverAsync(Text(r, "Có người trộm xe máy ở phường Hải Vân"))));

        Assert.Equal(1, _zalo.Refreshes);
        Assert.All(residents, r => Assert.Contains(_zalo.SentTo(r), m => m.AccessToken == "access-1"));
        var stored = await _app.WithDbAsync(db => db.ChannelTokens.AsNoTracking().SingleAsync(t => t.Channel == "zalo"));
        Assert.Equal("refresh-1", Open(stored.RefreshToken));
    }

    private string Open(string stored) =>
        _app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("TipBot.ChannelTokens.v1").Unprotect(stored);

    [Fact]
    public async Task The_sweep_renews_a_token_that_expires_soon_before_any_send_needs_it()
    {
        await DeliverAsync(Text(NewUserId(), "xin chào")); // seeds the stored pair
        await _app.WithDbAsync(db => db.ChannelTokens.Where(t => t.Channel == "zalo")
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, DateTime.UtcNow.AddMinutes(5))));

        await using (var scope = _app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<SweepJob>().RunAsync(CancellationToken.None);

        Assert.Equal(1, _zalo.Refreshes);
        Assert.Equal(0, _zalo.TokenRejections);
        var stored = await _app.WithDbAsync(db => db.ChannelTokens.AsNoTracking().SingleAsync(t => t.Channel == "zalo"));
        Assert.True(stored.ExpiresAt > DateTime.UtcNow.AddHours(20));

        await using (var scope = _app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<SweepJob>().RunAsync(CancellationToken.None);
        Assert.Equal(1, _zalo.Refreshes); // not due any more
    }

    [Fact]
    public async Task A_token_pair_an_operator_stored_by_hand_in_plain_text_is_used_and_encrypted_with_the_next_refresh()
    {
        var resident = NewUserId();
        await DeliverAsync(Text(resident, "xin chào")); // seeds the stored pair
        var (access, refresh) = _zalo.CurrentPair;
        await _app.WithDbAsync(db => db.ChannelTokens.Where(t => t.Channel == "zalo")
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.AccessToken, access).SetProperty(t => t.RefreshToken, refresh)));
        _zalo.InvalidateAccessToken();

        await DeliverAsync(Text(resident, "Có người trộm xe máy ở phường Hải Vân"));

        Assert.Equal(1, _zalo.Refreshes);
        var stored = await _app.WithDbAsync(db => db.ChannelTokens.AsNoTracking().SingleAsync(t => t.Channel == "zalo"));
        Assert.Equal(_zalo.CurrentPair, (Open(stored.AccessToken), Open(stored.RefreshToken)));
        Assert.Contains(_zalo.SentTo(resident), m => m.AccessToken == _zalo.CurrentPair.Access);
    }

    [Fact]
    public async Task Outside_the_7_day_window_the_turn_still_completes_and_the_webhook_answers_200()
    {
        var resident = NewUserId();
        _zalo.FailNext(resident, count: 1, code: -230);

        await DeliverAsync(Text(resident, "Có người trộm xe máy ở phường Hải Vân"));

        Assert.Equal(0, _zalo.Refreshes);
        await PressAsync(resident, "time:today");
        Assert.Contains(_zalo.SentTo(resident), m => m.Buttons.Any(b => b.Payload == "#anon:yes"));
    }

    [Fact]
    public async Task Follow_and_the_OAs_own_echo_are_acknowledged_without_a_reply()
    {
        var resident = NewUserId();

        await DeliverAsync(Follow(resident));
        await DeliverAsync(UserEvent("oa_send_text", resident, new { text = "Bạn cần gì?", msg_id = NewMsgId() }));

        Assert.Equal(0, _zalo.Calls);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("zeros")]
    [InlineData("other-key")]
    public async Task Wrong_or_missing_signature_is_refused_and_Zalo_receives_nothing(string kind)
    {
        var resident = NewUserId();
        Func<byte[], string?> sign = kind switch
        {
            "missing" => _ => null,
            "zeros" => _ => "mac=" + new string('0', 64),
            _ => b => Sign(b, "another-oa-secret-key"),
        };

        using var response = await PostAsync(Text(resident, "Có người bán ma túy ở phường Hải Châu"), sign);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, _zalo.Calls);
        Assert.Empty(await _app.TipsAsync());
    }

    [Fact]
    public async Task A_signature_without_the_mac_prefix_is_accepted()
    {
        var resident = NewUserId();

        using var response = await PostAsync(Text(resident, "xin chào"), b => Sign(b)["mac=".Length..]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(_zalo.SentTo(resident));
    }

    [Fact]
    public async Task Malformed_signed_body_is_answered_400()
    {
        using var response = await PostAsync("""{"event_name":"user_send_text","app_id":"2553928453557884079","timestamp":"1699003881354","message":{"text":"no sender"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}

public sealed class ZaloTipFlowOnEmbeddedStores() : ZaloTipFlowTests(StoreMode.Embedded);

public sealed class ZaloTipFlowOnRedisAndPostgres() : ZaloTipFlowTests(StoreMode.Production);
