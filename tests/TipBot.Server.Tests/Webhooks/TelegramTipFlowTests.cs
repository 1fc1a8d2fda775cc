using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Webhooks;

/// <summary>
/// A resident's Telegram tip, end to end through the real host: webhook → dialog → records →
/// Hangfire routing → officer alert on the Telegram double → accept → the resident is told.
/// Runs on both the embedded default and Redis + PostgreSQL.
/// </summary>
[Collection("integration")]
public abstract partial class TelegramTipFlowTests(StoreMode mode) : IAsyncLifetime
{
    private TipBotApp _app = null!;
    private static long _nextChat = 7_100_000_000;

    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(mode);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    protected static long NewResident() => Interlocked.Increment(ref _nextChat);

    [GeneratedRegex(@"TB-[0-9A-Z]{6}")]
    private static partial Regex TipCodePattern();

    /// <summary>The whole resident conversation; returns the tip code the resident was given.</summary>
    private async Task<string> ReportTipAsync(long chat, string firstMessage, params string[] answers)
    {
        await _app.SendAsync(TelegramUpdates.Text(chat, firstMessage));
        foreach (var answer in answers)
            await _app.SendAsync(answer.Contains(':') ? TelegramUpdates.Button(chat, answer) : TelegramUpdates.Text(chat, answer));
        var confirmation = _app.Telegram.SentTo(chat).Last();
        var match = TipCodePattern().Match(confirmation.Text);
        Assert.True(match.Success, $"expected a tip code in: {confirmation.Text}");
        return match.Value;
    }

    protected Task<string> ReportDrugTipInHaiChauAsync(long chat) => ReportTipAsync(chat,
        "Tối qua có nhóm thanh niên bán ma túy ở phường Hải Châu, gần chợ",
        "time:yesterday", "anon:yes", "confirm:send");

    private Task<SentMessage> AlertForAsync(long officerChat, string code) =>
        Eventually.Get(() => _app.Telegram.SentTo(officerChat).FirstOrDefault(m => m.Text.Contains(code)), m => m is not null, $"alert for {code}")!;

    [Fact]
    public async Task Resident_tip_reaches_the_unit_officer_and_accepting_it_tells_the_resident()
    {
        var resident = NewResident();
        var code = await ReportDrugTipInHaiChauAsync(resident);

        var replies = _app.Telegram.SentTo(resident);
        Assert.Contains(replies, r => r.Buttons.Any(b => b.Data == "time:yesterday"));
        Assert.Contains(replies, r => r.Buttons.Any(b => b.Data == "confirm:send"));
        var tip = Assert.Single(await _app.TipsAsync());
        Assert.Equal(code, tip.Code);
        Assert.Equal("20242", tip.UnitCode);
        Assert.Equal("drugs", tip.Category);

        var alert = await AlertForAsync(TipBotApp.HaiChauOfficer, code);
        Assert.Contains("Phường Hải Châu", alert.Text);
        Assert.DoesNotContain(resident.ToString(), alert.Text);
        Assert.DoesNotContain("Test", alert.Text); // the resident's Telegram name
        Assert.Equal(["Tiếp nhận", "Không thuộc địa bàn"], alert.Buttons.Select(b => b.Text));
        var accept = alert.Buttons.Single(b => b.Data.StartsWith("acc:"));
        // The alert is recorded as sent once Telegram has answered; an officer takes seconds to
        // read it, this test a millisecond, so it waits for the record like a person would.
        await Eventually.Get(() => _app.WithDbAsync(db => db.TipEvents.AnyAsync(e => e.TipId == tip.Id && e.Kind == "alerted")),
            recorded => recorded, "the alert recorded as sent");

        await _app.SendAsync(TelegramUpdates.Button(TipBotApp.HaiChauOfficer, accept.Data));

        var told = await Eventually.Get(() => _app.Telegram.SentTo(resident).FirstOrDefault(m => m.Text.Contains("tiếp nhận") && m.Text.Contains(code)),
            m => m is not null, "the resident to be told");
        Assert.Contains("Phường Hải Châu", told!.Text);
        Assert.DoesNotContain("Nguyễn Văn An", told.Text); // the officer's identity stays with the police
        await Eventually.Get(() => _app.Telegram.SentTo(TipBotApp.HaiChauOfficer).Count(m => m.Text.Contains("Bạn đã tiếp nhận")), n => n == 1, "officer confirmation");
        var accepted = Assert.Single(await _app.TipsAsync());
        Assert.Equal(TipStatus.Accepted, accepted.Status);
        Assert.Equal("o-20242", accepted.AcceptedByOfficerId);
        // The city's drug unit is told too (Routing:Specialists), right after the officer's alert.
        var events = await Eventually.Get(() => _app.WithDbAsync(db => db.TipEvents.Where(e => e.TipId == tip.Id).OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync()),
            kinds => kinds.Contains("informed"), "the drug unit's copy recorded");
        Assert.Equal(["received", "assigned", "alerted", "acknowledged"], events.Where(e => e != "informed"));
        Assert.Single(events, "informed");
    }

    [Fact]
    public async Task Same_update_delivered_twice_produces_one_set_of_replies_and_one_tip()
    {
        var resident = NewResident();
        await _app.SendAsync(TelegramUpdates.Text(resident, "Có người trộm xe máy ở phường Hải Vân"));
        await _app.SendAsync(TelegramUpdates.Button(resident, "time:today"));
        await _app.SendAsync(TelegramUpdates.Button(resident, "anon:yes"));
        var send = TelegramUpdates.Button(resident, "confirm:send", queryId: "dup-query-1");
        var before = _app.Telegram.SentTo(resident).Count;

        await _app.SendAsync(send);
        await _app.SendAsync(send);

        Assert.Equal(before + 1, _app.Telegram.SentTo(resident).Count);
        var tip = Assert.Single(await _app.TipsAsync());
        await AlertForAsync(TipBotApp.HaiVanOfficer, tip.Code);
        await Eventually.Get(() => _app.WithDbAsync(db => db.Assignments.CountAsync(a => a.AlertSentAt != null)), n => n == 1, "alert recorded");
        Assert.Single(_app.Telegram.SentTo(TipBotApp.HaiVanOfficer), m => m.Text.Contains(tip.Code));
    }

    [Fact]
    public async Task Two_updates_of_one_chat_processed_concurrently_lose_nothing()
    {
        var resident = NewResident();
        await _app.SendAsync(TelegramUpdates.Text(resident, "Tối nào cũng có người bán ma túy ở phường Hoà Cường"));

        // The answer to "when?" and a photo arrive at the same moment.
        await Task.WhenAll(_app.SendAsync(TelegramUpdates.Button(resident, "time:today")), _app.SendAsync(TelegramUpdates.Photo(resident)));

        await _app.SendAsync(TelegramUpdates.Button(resident, "anon:yes"));
        await _app.SendAsync(TelegramUpdates.Button(resident, "confirm:send"));
        var tip = Assert.Single(await _app.TipsAsync());
        Assert.Equal(1, tip.EvidenceCount);
        Assert.Equal("Hôm nay", tip.TimeText);
        Assert.Equal("20257", tip.UnitCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-secret")]
    [InlineData("test-secret_124")] // as long as the right one, one character off
    [InlineData("")]
    public async Task Wrong_or_missing_secret_is_refused_and_nothing_is_stored(string? secret)
    {
        var resident = NewResident();
        using var response = await _app.PostUpdateAsync(TelegramUpdates.Text(resident, "Có người bán ma túy ở phường Hải Châu"), secret);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_app.Telegram.SentTo(resident));
        // The same delivery with the right secret afterwards is processed: nothing was recorded as seen.
        await _app.SendAsync(TelegramUpdates.Text(resident, "Có người bán ma túy ở phường Hải Châu", messageId: 1));
        await _app.SendAsync(TelegramUpdates.Text(resident, "Có người bán ma túy ở phường Hải Châu", messageId: 1));
        Assert.NotEmpty(_app.Telegram.SentTo(resident));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2,3]")]
    [InlineData("\"text\"")]
    [InlineData("{\"update_id\":\"abc\",\"message\":{\"chat\":5}}")]
    public async Task Malformed_body_is_answered_400(string body)
    {
        using var response = await _app.PostUpdateAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_button_press_is_answered_in_the_webhook_response_and_a_text_is_not()
    {
        var resident = NewResident();
        using var text = await _app.PostUpdateAsync(TelegramUpdates.Text(resident, "Có người trộm xe máy ở phường Hải Vân"));
        Assert.Equal(HttpStatusCode.OK, text.StatusCode);
        Assert.DoesNotContain("method", await text.Content.ReadAsStringAsync());
        var before = _app.Telegram.SentTo(resident).Count;

        using var press = await _app.PostUpdateAsync(TelegramUpdates.Button(resident, "time:today", queryId: "query-42"));

        Assert.Equal(HttpStatusCode.OK, press.StatusCode);
        using var answer = System.Text.Json.JsonDocument.Parse(await press.Content.ReadAsStringAsync());
        Assert.Equal("answerCallbackQuery", answer.RootElement.GetProperty("method").GetString());
        Assert.Equal("query-42", answer.RootElement.GetProperty("callback_query_id").GetString());
        // The turn itself ran: the next question arrived through the Bot API.
        Assert.True(_app.Telegram.SentTo(resident).Count > before, "the press's turn sent the next question");
    }

    [Fact]
    public async Task Oversized_body_is_answered_413()
    {
        var huge = TelegramUpdates.Text(NewResident(), new string('a', 2 * 1024 * 1024));
        using var response = await _app.PostUpdateAsync(huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Tip_with_an_unknown_place_goes_to_the_province_duty_desk()
    {
        var resident = NewResident();
        var code = await ReportTipAsync(resident, "Có một nhóm người đánh bạc ăn tiền mỗi tối",
            "cat:gambling", "gần cây xăng cũ", "place:unknown", "time:earlier", "anon:yes", "confirm:send");

        var alert = await AlertForAsync(TipBotApp.ProvinceDesk, code);
        Assert.Contains("gần cây xăng cũ", alert.Text);
        var tip = Assert.Single(await _app.TipsAsync());
        Assert.Null(tip.UnitCode);
        Assert.Equal("48", tip.AssignedUnitCode);
    }

    [Fact]
    public async Task Tip_for_a_unit_without_officers_goes_to_the_parent_duty_desk()
    {
        var resident = NewResident();
        var code = await ReportTipAsync(resident, "Có người trộm xe đạp ở phường An Khê", "time:today", "anon:yes", "confirm:send");

        await AlertForAsync(TipBotApp.ProvinceDesk, code);
        var assignment = Assert.Single(await _app.WithDbAsync(db => db.Assignments.ToListAsync()));
        Assert.Equal("ParentDutyDesk", assignment.Reason);
    }

    [Fact]
    public async Task Telegram_500_on_the_alert_is_retried_and_the_alert_arrives_once()
    {
        _app.Telegram.FailNext(TipBotApp.HaiChauOfficer, count: 5); // more than the in-process retries: Hangfire's retry delivers it
        var code = await ReportDrugTipInHaiChauAsync(NewResident());

        await AlertForAsync(TipBotApp.HaiChauOfficer, code);
        await Eventually.Get(() => _app.WithDbAsync(db => db.Assignments.CountAsync(a => a.AlertSentAt != null)), n => n == 1, "alert recorded as sent", seconds: 30);
        Assert.Single(_app.Telegram.SentTo(TipBotApp.HaiChauOfficer), m => m.Text.Contains(code));
    }

    [Fact]
    public async Task Only_the_assigned_officer_can_accept_and_a_second_press_changes_nothing()
    {
        var resident = NewResident();
        var code = await ReportDrugTipInHaiChauAsync(resident);
        var accept = (await AlertForAsync(TipBotApp.HaiChauOfficer, code)).Buttons.Single(b => b.Data.StartsWith("acc:")).Data;

        await _app.SendAsync(TelegramUpdates.Button(TipBotApp.HoaCuongOfficer, accept)); // another unit's officer
        await Eventually.Get(() => _app.Telegram.SentTo(TipBotApp.HoaCuongOfficer).Count(m => m.Text.Contains("không được giao")), n => n == 1, "refusal");
        Assert.Equal(TipStatus.Assigned, Assert.Single(await _app.TipsAsync()).Status);

        await _app.SendAsync(TelegramUpdates.Button(TipBotApp.HaiChauOfficer, accept));
        await _app.SendAsync(TelegramUpdates.Button(TipBotApp.HaiChauOfficer, accept));
        await Eventually.Get(() => _app.Telegram.SentTo(resident).Count(m => m.Text.Contains("tiếp nhận") && m.Text.Contains(code)), n => n == 1, "resident told");
        await Eventually.Get(() => _app.WithDbAsync(db => db.Outbox.CountAsync(o => o.SentAt == null)), n => n == 0, "outbox drained");
        Assert.Single(_app.Telegram.SentTo(resident), m => m.Text.Contains("tiếp nhận") && m.Text.Contains(code));
        Assert.Single(_app.Telegram.SentTo(TipBotApp.HaiChauOfficer), m => m.Text.Contains("Bạn đã tiếp nhận"));
    }

    [Fact]
    public async Task Resident_can_check_the_status_of_their_own_tip_only()
    {
        var resident = NewResident();
        var code = await ReportDrugTipInHaiChauAsync(resident);
        await AlertForAsync(TipBotApp.HaiChauOfficer, code);

        await _app.SendAsync(TelegramUpdates.Text(resident, "/status " + code.ToLowerInvariant()));
        Assert.Contains("Phường Hải Châu", _app.Telegram.SentTo(resident).Last().Text);

        var stranger = NewResident();
        await _app.SendAsync(TelegramUpdates.Text(stranger, "/status " + code));
        Assert.Contains("Không tìm thấy", _app.Telegram.SentTo(stranger).Last().Text);
    }

    [Fact]
    public async Task Another_chat_sees_the_status_with_the_PIN_given_at_submission_and_a_wrong_PIN_looks_unknown()
    {
        var resident = NewResident();
        var code = await ReportDrugTipInHaiChauAsync(resident);
        var pin = Regex.Match(_app.Telegram.SentTo(resident).Last().Text, @"PIN: ([0-9]{6})").Groups[1].Value;
        Assert.Equal(6, pin.Length);
        await AlertForAsync(TipBotApp.HaiChauOfficer, code);

        var otherPhone = NewResident();
        var wrong = pin == "000000" ? "111111" : "000000";
        await _app.SendAsync(TelegramUpdates.Text(otherPhone, $"/status {code} {wrong}"));
        Assert.Equal($"Không tìm thấy tin báo mã {code} được gửi từ tài khoản này.", _app.Telegram.SentTo(otherPhone).Last().Text);

        await _app.SendAsync(TelegramUpdates.Text(otherPhone, $"/status {code} {pin}"));
        var status = _app.Telegram.SentTo(otherPhone).Last().Text;
        Assert.Contains(code, status);
        Assert.Contains("Phường Hải Châu", status);
    }

    [Fact]
    public async Task Tips_and_turns_are_measured_and_the_scrape_endpoint_answers()
    {
        var measured = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == TipBot.Server.Hosting.TipBotMetrics.MeterName) l.EnableMeasurementEvents(instrument); },
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, _, _) => measured.Enqueue(instrument.Name));
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => measured.Enqueue(instrument.Name));
        listener.Start();

        await ReportDrugTipInHaiChauAsync(NewResident());

        await Eventually.Get(() => measured.ToArray(), names => names.Contains("tips_routed"), "routing measured");
        Assert.Contains("tips_received", measured);
        Assert.Contains("turn_duration_seconds", measured);
        using var scrape = await _app.CreateClient().GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        // The first scrape already has what was counted before it (the adapter starts with the app).
        var exported = await scrape.Content.ReadAsStringAsync();
        Assert.Matches(@"(?m)^tipbot_turns\{channel=""telegram"",outcome=""Processed""\} [1-9]", exported);
        Assert.Matches(@"(?m)^tipbot_tips_received\{category=""drugs""\} [1-9]", exported);
        Assert.Contains("# TYPE tipbot_turn_duration_seconds histogram", exported);
        Assert.Contains("# TYPE microsoft_aspnetcore_hosting_http_server_request_duration histogram", exported);
        Assert.Matches(@"(?m)^system_runtime_dotnet_thread_pool_queue_length ", exported);
        // Measured on every request, read by nobody: off (TipBot.Server.Hosting.MetricsExport).
        Assert.DoesNotContain("aspnetcore_routing", exported);
        Assert.DoesNotContain("aspnetcore_authentication", exported);
    }

    [Fact]
    public async Task Readiness_reports_the_database_and_redis_healthy()
    {
        using var response = await _app.CreateClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}

public sealed class TelegramTipFlowOnEmbeddedStores() : TelegramTipFlowTests(StoreMode.Embedded);

public sealed class TelegramTipFlowOnRedisAndPostgres() : TelegramTipFlowTests(StoreMode.Production);
