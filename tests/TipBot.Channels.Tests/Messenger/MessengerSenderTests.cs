using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TipBot.Channels.Messenger;
using TipBot.Core.Messaging;
using static TipBot.Channels.Tests.Messenger.MessengerSamples;

namespace TipBot.Channels.Tests.Messenger;

public class MessengerSenderTests
{
    private const string PageToken = "EAAGm0PX4ZCpsBAKZC7test";
    private const string Accepted = """{"recipient_id":"6754312098765432","message_id":"m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P"}""";

    private static (MessengerSender Sender, StubHttp Http) Create(Func<RecordedRequest, int, HttpResponseMessage>? answer = null, bool humanAgentTag = false)
    {
        var http = new StubHttp(answer ?? ((_, _) => StubHttp.Json(Accepted)));
        var options = Options.Create(new MessengerOptions
        {
            AppSecret = AppSecret,
            VerifyToken = "meatyhamhock",
            PageAccessToken = PageToken,
            GraphApiBaseUrl = "https://graph.example.test/v25.0/",
            UseHumanAgentTag = humanAgentTag,
        });
        return (new MessengerSender(http.Client(), options, NullLogger<MessengerSender>.Instance), http);
    }

    private static JsonObject Body(RecordedRequest request) => JsonNode.Parse(request.Body)!.AsObject();

    private static HttpResponseMessage GraphError(int code, int? subcode = null, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        StubHttp.Json($$$"""{"error":{"message":"(#{{{code}}}) test","type":"OAuthException","code":{{{code}}}{{{(subcode is { } s ? $",\"error_subcode\":{s}" : "")}}},"fbtrace_id":"BLBz/WZt8dN"}}""", status);

    [Fact]
    public async Task A_reply_with_choices_goes_out_as_a_RESPONSE_with_quick_replies()
    {
        var (sender, http) = Create();

        await sender.SendAsync(Psid, new Reply("Sự việc xảy ra khi nào?", [new Button("Hôm nay", "time:today"), new Button("Hôm qua", "time:yesterday")]), CancellationToken.None);

        var request = Assert.Single(http.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/v25.0/me/messages", request.Uri.AbsolutePath);
        Assert.Contains($"access_token={PageToken}", request.Uri.Query);
        Assert.Contains("appsecret_proof=", request.Uri.Query);
        var body = Body(request);
        Assert.Equal(Psid, body["recipient"]!["id"]!.GetValue<string>());
        Assert.Equal("RESPONSE", body["messaging_type"]!.GetValue<string>());
        Assert.Equal("Sự việc xảy ra khi nào?", body["message"]!["text"]!.GetValue<string>());
        var quickReplies = body["message"]!["quick_replies"]!.AsArray();
        Assert.Equal(["Hôm nay", "Hôm qua"], quickReplies.Select(q => q!["title"]!.GetValue<string>()));
        Assert.Equal(["time:today", "time:yesterday"], quickReplies.Select(q => q!["payload"]!.GetValue<string>()));
        Assert.All(quickReplies, q => Assert.Equal("text", q!["content_type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_label_longer_than_20_characters_is_shortened_and_its_payload_kept()
    {
        var (sender, http) = Create();

        await sender.SendAsync(Psid, new Reply("Bạn cần gì?", [new Button("Trợ giúp, số khẩn cấp", "menu:help")]), CancellationToken.None);

        var quick = Body(http.Requests.Single())["message"]!["quick_replies"]![0]!;
        var title = quick["title"]!.GetValue<string>();
        Assert.True(title.Length <= 20, title);
        Assert.StartsWith("Trợ giúp, số khẩn", title);
        Assert.EndsWith("…", title);
        Assert.Equal("menu:help", quick["payload"]!.GetValue<string>());
    }

    [Fact]
    public async Task More_than_13_choices_become_numbered_lines_the_resident_can_answer_by_number()
    {
        var (sender, http) = Create();
        var choices = Enumerable.Range(1, 14).Select(i => new Button($"Phường {i}", $"place:{20000 + i}")).ToList();

        await sender.SendAsync(Psid, new Reply("Bạn chọn giúp nơi đúng:", choices), CancellationToken.None);

        var message = Body(http.Requests.Single())["message"]!;
        Assert.Null(message["quick_replies"]);
        var text = message["text"]!.GetValue<string>();
        Assert.Contains("\n1. Phường 1", text);
        Assert.Contains("\n14. Phường 14", text);
    }

    [Fact]
    public async Task A_text_over_2000_characters_is_split_and_the_quick_replies_ride_on_the_last_part()
    {
        var (sender, http) = Create();
        var text = string.Join(" ", Enumerable.Repeat("Tối qua có nhóm thanh niên tụ tập.", 150));

        await sender.SendAsync(Psid, new Reply(text, [new Button("Gửi", "confirm:send")]), CancellationToken.None);

        Assert.True(http.Requests.Count >= 3);
        var bodies = http.Requests.Select(Body).ToList();
        Assert.All(bodies, b => Assert.True(b["message"]!["text"]!.GetValue<string>().Length <= 2000));
        Assert.All(bodies[..^1], b => Assert.Null(b["message"]!["quick_replies"]));
        Assert.NotNull(bodies[^1]["message"]!["quick_replies"]);
    }

    [Theory]
    [InlineData(613, null, 400, SendFailure.RateLimited)]
    [InlineData(4, null, 400, SendFailure.RateLimited)]
    [InlineData(32, null, 400, SendFailure.RateLimited)]
    [InlineData(2, null, 503, SendFailure.Transient)]
    [InlineData(1, null, 500, SendFailure.Transient)]
    [InlineData(10, 2018278, 400, SendFailure.OutsideWindow)]
    [InlineData(551, 1545041, 400, SendFailure.Permanent)]
    [InlineData(190, 460, 401, SendFailure.Permanent)]
    [InlineData(100, 2018001, 400, SendFailure.Permanent)]
    [InlineData(200, null, 403, SendFailure.Permanent)]
    [InlineData(9999, null, 500, SendFailure.Transient)]
    public async Task Meta_error_codes_are_classified(int code, int? subcode, int status, SendFailure expected)
    {
        var (sender, _) = Create((_, _) => GraphError(code, subcode, (HttpStatusCode)status));

        var e = await Assert.ThrowsAsync<ChannelSendException>(() => sender.SendAsync(Psid, new Reply("alo"), CancellationToken.None));

        Assert.Equal(expected, e.Failure);
        Assert.Equal("messenger", e.Channel);
        if (expected == SendFailure.RateLimited) Assert.Equal(MessengerSender.RateLimitBackoff, e.RetryAfter);
    }

    [Theory]
    [InlineData(502, SendFailure.Transient)]
    [InlineData(429, SendFailure.RateLimited)]
    [InlineData(404, SendFailure.Permanent)]
    public async Task An_answer_without_a_Meta_error_body_is_classified_by_its_status(int status, SendFailure expected)
    {
        var (sender, _) = Create((_, _) => new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent("<html>Bad Gateway</html>") });

        var e = await Assert.ThrowsAsync<ChannelSendException>(() => sender.SendAsync(Psid, new Reply("alo"), CancellationToken.None));

        Assert.Equal(expected, e.Failure);
    }

    [Fact]
    public async Task A_network_failure_is_transient()
    {
        var (sender, _) = Create((_, _) => throw new HttpRequestException("connection refused"));

        var e = await Assert.ThrowsAsync<ChannelSendException>(() => sender.SendAsync(Psid, new Reply("alo"), CancellationToken.None));

        Assert.Equal(SendFailure.Transient, e.Failure);
    }

    [Fact]
    public async Task Outside_the_window_with_the_human_agent_tag_configured_the_message_is_resent_tagged()
    {
        var (sender, http) = Create((_, n) => n == 1 ? GraphError(10, 2018278) : StubHttp.Json(Accepted), humanAgentTag: true);

        await sender.SendAsync(Psid, new Reply("Cán bộ hỏi thêm: xe màu gì?"), CancellationToken.None);

        Assert.Equal(2, http.Requests.Count);
        Assert.Equal("RESPONSE", Body(http.Requests[0])["messaging_type"]!.GetValue<string>());
        var tagged = Body(http.Requests[1]);
        Assert.Equal("MESSAGE_TAG", tagged["messaging_type"]!.GetValue<string>());
        Assert.Equal("HUMAN_AGENT", tagged["tag"]!.GetValue<string>());
    }

    [Fact]
    public async Task Outside_the_window_without_the_tag_the_send_fails_once_as_outside_the_window()
    {
        var (sender, http) = Create((_, _) => GraphError(10, 2018278));

        var e = await Assert.ThrowsAsync<ChannelSendException>(() => sender.SendAsync(Psid, new Reply("alo"), CancellationToken.None));

        Assert.Equal(SendFailure.OutsideWindow, e.Failure);
        Assert.Contains("24-hour", e.Message);
        Assert.Single(http.Requests);
    }

    [Fact]
    public async Task A_notice_image_goes_first_as_a_reusable_image_attachment_then_the_text()
    {
        var (sender, http) = Create();
        var image = new ReplyImage("notice-image:1", "https://cdn.example.vn/canh-bao.jpg");

        await sender.SendAsync(Psid, new Reply("Cảnh báo lừa đảo", Image: image), CancellationToken.None);

        Assert.Equal(2, http.Requests.Count);
        var attachment = Body(http.Requests[0])["message"]!["attachment"]!;
        Assert.Equal("image", attachment["type"]!.GetValue<string>());
        Assert.Equal("https://cdn.example.vn/canh-bao.jpg", attachment["payload"]!["url"]!.GetValue<string>());
        Assert.True(attachment["payload"]!["is_reusable"]!.GetValue<bool>());
        Assert.Null(Body(http.Requests[0])["message"]!["text"]);
        Assert.Equal("Cảnh báo lừa đảo", Body(http.Requests[1])["message"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_image_without_a_public_https_url_is_left_out_and_the_text_still_sent()
    {
        var (sender, http) = Create();

        await sender.SendAsync(Psid, new Reply("Cảnh báo", Image: new ReplyImage("notice-image:2", "/notice-images/2")), CancellationToken.None);

        var request = Assert.Single(http.Requests);
        Assert.Equal("Cảnh báo", Body(request)["message"]!["text"]!.GetValue<string>());
    }
}
