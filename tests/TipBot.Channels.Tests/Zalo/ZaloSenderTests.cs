using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TipBot.Channels.Zalo;
using TipBot.Core.Messaging;
using static TipBot.Channels.Tests.Zalo.ZaloSamples;

namespace TipBot.Channels.Tests.Zalo;

public class ZaloSenderTests
{
    private const string Success = """{"error":0,"message":"Success","data":{"message_id":"5f1d0c2b7a6e4c3d","user_id":"6142494823715306254"}}""";

    /// <summary>Hands out "token-1", and "token-{n+1}" on each renewal of the current one.</summary>
    private sealed class FakeTokens : IZaloAccessTokens
    {
        public int Version { get; private set; } = 1;
        public List<string> Rejected { get; } = [];
        public Task<string> GetAsync(CancellationToken ct) => Task.FromResult($"token-{Version}");

        public Task<string> RenewAsync(string rejected, CancellationToken ct)
        {
            Rejected.Add(rejected);
            Version++;
            return GetAsync(ct);
        }
    }

    private static (ZaloSender Sender, StubHttp Http, FakeTokens Tokens) Create(Func<RecordedRequest, int, HttpResponseMessage>? answer = null, int maxButtons = 5, int textLimit = 500)
    {
        var http = new StubHttp(answer ?? ((_, _) => StubHttp.Json(Success)));
        var tokens = new FakeTokens();
        var options = Options.Create(new ZaloOptions
        {
            AppId = AppId,
            OaSecretKey = OaSecretKey,
            AccessToken = "seed",
            ApiBaseUrl = "https://openapi.example.test",
            MaxButtons = maxButtons,
            TextLimit = textLimit,
        });
        return (new ZaloSender(http.Client(), tokens, new ZaloThrottle(options), options, NullLogger<ZaloSender>.Instance), http, tokens);
    }

    private static JsonObject Body(RecordedRequest request) => JsonNode.Parse(request.Body)!.AsObject();

    private static HttpResponseMessage ZaloError(int code) => StubHttp.Json($$"""{"error":{{code}},"message":"test error {{code}}"}""");

    [Fact]
    public async Task A_reply_with_choices_is_a_consultation_message_with_query_buttons()
    {
        var (sender, http, _) = Create();

        await sender.SendAsync(UserId, new Reply("Bạn muốn giữ ẩn danh không?", [new Button("Giữ ẩn danh", "anon:yes"), new Button("Để lại số điện thoại", "anon:no")]), CancellationToken.None);

        var request = Assert.Single(http.Requests);
        Assert.Equal("https://openapi.example.test/v3.0/oa/message/cs", request.Uri.ToString());
        Assert.Equal("token-1", request.Headers["access_token"]);
        var body = Body(request);
        Assert.Equal(UserId, body["recipient"]!["user_id"]!.GetValue<string>());
        Assert.Equal("Bạn muốn giữ ẩn danh không?", body["message"]!["text"]!.GetValue<string>());
        var attachment = body["message"]!["attachment"]!;
        Assert.Equal("template", attachment["type"]!.GetValue<string>());
        Assert.Equal("button", attachment["payload"]!["template_type"]!.GetValue<string>());
        var buttons = attachment["payload"]!["buttons"]!.AsArray();
        Assert.Equal(["Giữ ẩn danh", "Để lại số điện thoại"], buttons.Select(b => b!["title"]!.GetValue<string>()));
        Assert.Equal(["#anon:yes", "#anon:no"], buttons.Select(b => b!["payload"]!.GetValue<string>()));
        Assert.All(buttons, b => Assert.Equal("oa.query.show", b!["type"]!.GetValue<string>()));
        // What a press sends back parses as the payload again.
        Assert.Equal("anon:no", ZaloEventParser.ButtonPayloadOf(buttons[1]!["payload"]!.GetValue<string>()));
    }

    [Fact]
    public async Task More_choices_than_the_configured_maximum_become_numbered_lines()
    {
        var (sender, http, _) = Create(maxButtons: 5);
        var choices = new[] { "Ma túy", "Trộm cắp", "Lừa đảo", "Bạo lực", "Gây rối", "Khác" }
            .Select((label, i) => new Button(label, $"cat:c{i}")).ToList();

        await sender.SendAsync(UserId, new Reply("Sự việc thuộc loại nào?", choices), CancellationToken.None);

        var message = Body(http.Requests.Single())["message"]!;
        Assert.Null(message["attachment"]);
        Assert.Equal("Sự việc thuộc loại nào?\n\n1. Ma túy\n2. Trộm cắp\n3. Lừa đảo\n4. Bạo lực\n5. Gây rối\n6. Khác", message["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_long_text_is_split_at_the_configured_limit_with_buttons_on_the_last_part()
    {
        var (sender, http, _) = Create(textLimit: 500);
        var text = string.Join(" ", Enumerable.Repeat("Có nhóm thanh niên tụ tập gây rối.", 40));

        await sender.SendAsync(UserId, new Reply(text, [new Button("Gửi", "confirm:send")]), CancellationToken.None);

        var bodies = http.Requests.Select(Body).ToList();
        Assert.True(bodies.Count >= 3);
        Assert.All(bodies, b => Assert.True(b["message"]!["text"]!.GetValue<string>().Length <= 500));
        Assert.All(bodies[..^1], b => Assert.Null(b["message"]!["attachment"]));
        Assert.NotNull(bodies[^1]["message"]!["attachment"]);
    }

    [Theory]
    [InlineData(-216)]
    [InlineData(-220)]
    public async Task A_refused_token_is_renewed_once_and_the_message_resent_once(int code)
    {
        var (sender, http, tokens) = Create((request, _) =>
            request.Headers["access_token"] == "token-1" ? ZaloError(code) : StubHttp.Json(Success));

        await sender.SendAsync(UserId, new Reply("alo"), CancellationToken.None);

        Assert.Equal(["token-1"], tokens.Rejected);
        Assert.Equal(["token-1", "token-2"], http.Requests.Select(r => r.Headers["access_token"]));
        Assert.Equal(Body(http.Requests[0]).ToJsonString(), Body(http.Requests[1]).ToJsonString());
    }

    [Fact]
    public async Task A_token_still_refused_after_the_renewal_fails_permanently_without_a_second_renewal()
    {
        var (sender, http, tokens) = Create((_, _) => ZaloError(-216));

        var e = await Assert.ThrowsAsync<ChannelSendException>(() => sender.SendAsync(UserId, new Reply("alo"), CancellationToken.None));

        Assert.Equal(SendFailure.Permanent, e.Failure);
        Assert.Single(tokens.Rejected);
        Assert.Equal(2, http.Requests.Count);
    }

    [Theory]
    [InlineData(-32, SendFailure.RateLimited)]
    [InlineData(-213, SendFailure.Permanent)]
    [InlineData(-227, SendFailure.Permanent)]
    [InlineData(-230, SendFailure.OutsideWindow)]
    [InlineData(-232, SendFailure.OutsideWindow)]
    [InlineData(-244, SendFailure.Permanent)]
    [InlineData(-211, SendFailure.Permanent)]
    [InlineData(-320, SendFailure.Permanent)]
    [InlineData(-224, SendFailure.Permanent)]
    [InlineData(-201, SendFailure.Permanent)]
    [InlineData(-999, SendFailure.Transient)]
    public async Task Zalo_error_codes_in_a_200_answer_are_classified(int code, SendFailure expected)
    {
        var (sender, _, tokens) = Create((_, _) => ZaloError(code));

        var e = await Assert.ThrowsAsync<ChannelSendException>(() => sender.SendAsync(UserId, new Reply("alo"), CancellationToken.None));

        Assert.Equal(expected, e.Failure);
        Assert.Equal("zalo", e.Channel);
        Assert.Empty(tokens.Rejected);
        if (expected == SendFailure.RateLimited) Assert.Equal(ZaloSender.RateLimitBackoff, e.RetryAfter);
    }

    [Theory]
    [InlineData(502, "<html>Bad Gateway</html>", SendFailure.Transient)]
    [InlineData(429, "", SendFailure.RateLimited)]
    [InlineData(200, "<html>maintenance</html>", SendFailure.Transient)]
    public async Task An_answer_that_is_not_Zalo_json_is_classified_by_its_status(int status, string body, SendFailure expected)
    {
        var (sender, _, _) = Create((_, _) => new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(body) });

        var e = await Assert.ThrowsAsync<ChannelSendException>(() => sender.SendAsync(UserId, new Reply("alo"), CancellationToken.None));

        Assert.Equal(expected, e.Failure);
    }

    [Fact]
    public async Task A_notice_image_goes_as_a_media_template_carrying_a_short_text()
    {
        var (sender, http, _) = Create();

        await sender.SendAsync("6142494823715306254", new Reply("Cảnh báo lừa đảo", Image: new ReplyImage("k", "https://cdn.example.vn/a.png")), CancellationToken.None);

        var message = Body(Assert.Single(http.Requests))["message"]!;
        Assert.Equal("Cảnh báo lừa đảo", message["text"]!.GetValue<string>());
        var payload = message["attachment"]!["payload"]!;
        Assert.Equal("media", payload["template_type"]!.GetValue<string>());
        var element = Assert.Single(payload["elements"]!.AsArray())!;
        Assert.Equal("image", element["media_type"]!.GetValue<string>());
        Assert.Equal("https://cdn.example.vn/a.png", element["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_notice_image_with_a_long_text_goes_alone_and_the_text_follows_in_parts()
    {
        var (sender, http, _) = Create(textLimit: 50);
        var text = string.Join(' ', Enumerable.Repeat("Cảnh báo lừa đảo qua mạng.", 4));

        await sender.SendAsync("6142494823715306254", new Reply(text, Image: new ReplyImage("k", "https://cdn.example.vn/a.png")), CancellationToken.None);

        Assert.True(http.Requests.Count >= 3);
        Assert.Null(Body(http.Requests[0])["message"]!["text"]);
        Assert.NotNull(Body(http.Requests[0])["message"]!["attachment"]);
        Assert.All(http.Requests.Skip(1), r => Assert.Null(Body(r)["message"]!["attachment"]));
    }
}
