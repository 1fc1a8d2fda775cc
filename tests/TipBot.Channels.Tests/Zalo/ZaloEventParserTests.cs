using TipBot.Channels;
using TipBot.Channels.Telegram;
using TipBot.Channels.Zalo;
using TipBot.Core.Messaging;
using static TipBot.Channels.Tests.Zalo.ZaloSamples;

namespace TipBot.Channels.Tests.Zalo;

public class ZaloEventParserTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    private static ParsedWebhook Parse(string json) => ZaloEventParser.Parse(Bytes(json), ReceivedAt);

    private static InboundMessage Single(string json) => Assert.Single(Assert.IsType<ParsedWebhook.Messages>(Parse(json)).Items);

    [Fact]
    public void The_captured_text_event_becomes_one_message()
    {
        var message = Single(CapturedText);

        Assert.Equal("zalo", message.Channel);
        Assert.Equal(UserId, message.ChatId);
        Assert.Equal("cb31dff1c39642cc1b83", message.DeliveryId);
        Assert.Equal("Chào A4B", message.Text);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1699003881354), message.SentAt);
        Assert.Null(message.ButtonPayload);
    }

    [Fact]
    public void A_timestamp_sent_as_a_number_is_read_too()
    {
        var message = Single(UserEvent("user_send_text", """{"text":"alo","msg_id":"a1"}""", timestamp: "1699003881354"));

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1699003881354), message.SentAt);
    }

    [Fact]
    public void A_pressed_button_comes_back_as_its_payload()
    {
        var message = Single(UserEvent("user_send_text", """{"text":"#time:yesterday","msg_id":"b2"}"""));

        Assert.Equal("time:yesterday", message.ButtonPayload);
        Assert.Null(message.Text);
    }

    [Theory]
    [InlineData("#matuy")]
    [InlineData("# time:today")]
    [InlineData("time:today")]
    [InlineData("#Có người: bán ma túy")]
    public void Typed_text_that_only_looks_like_a_payload_stays_text(string text)
    {
        var message = Single(UserEvent("user_send_text", $$"""{"text":{{System.Text.Json.JsonSerializer.Serialize(text)}},"msg_id":"c3"}"""));

        Assert.Equal(text, message.Text);
        Assert.Null(message.ButtonPayload);
    }

    [Fact]
    public void A_user_click_button_event_carries_the_payload()
    {
        var message = Single(UserEvent("user_click_button", """{"msg_id":"d4","payload":"#anon:yes"}"""));

        Assert.Equal("anon:yes", message.ButtonPayload);
        Assert.Equal("d4", message.DeliveryId);
    }

    [Fact]
    public void An_image_keeps_its_url_and_caption()
    {
        var message = Single(UserEvent("user_send_image", """
            {"msg_id":"e5","text":"Xe biển số 43A-123.45","attachments":[{"type":"image","payload":{"url":"https://photo-stal-9.zdn.vn/abc.jpg","thumbnail":"https://photo-stal-9.zdn.vn/abc_t.jpg"}}]}
            """));

        Assert.Equal(new Attachment(AttachmentKind.Image, "https://photo-stal-9.zdn.vn/abc.jpg"), Assert.Single(message.Attachments));
        Assert.Equal("Xe biển số 43A-123.45", message.Text);
    }

    [Theory]
    [InlineData("user_send_file", "file", AttachmentKind.File)]
    [InlineData("user_send_audio", "audio", AttachmentKind.Audio)]
    [InlineData("user_send_video", "video", AttachmentKind.Video)]
    [InlineData("user_send_sticker", "sticker", AttachmentKind.Sticker)]
    [InlineData("user_send_gif", "gif", AttachmentKind.Image)]
    public void Other_media_keep_their_kind(string eventName, string type, AttachmentKind kind)
    {
        var message = Single(UserEvent(eventName, $$$"""
            {"msg_id":"f6","attachments":[{"type":"{{{type}}}","payload":{"url":"https://dl.zalo.me/x/{{{type}}}"}}]}
            """));

        Assert.Equal(kind, Assert.Single(message.Attachments).Kind);
    }

    [Fact]
    public void A_shared_link_is_read_as_text_with_its_address()
    {
        var message = Single(UserEvent("user_send_link", """
            {"msg_id":"g7","text":"xem bài này","attachments":[{"type":"link","payload":{"url":"https://baodanang.vn/tin","description":"…","thumbnail":""}}]}
            """));

        Assert.Equal("xem bài này https://baodanang.vn/tin", message.Text);
        Assert.Empty(message.Attachments);
    }

    [Theory]
    [InlineData("""{"msg_id":"h8","attachments":[{"type":"location","payload":{"coordinates":{"latitude":"16.0544","longitude":"108.2022"}}}]}""")]
    [InlineData("""{"msg_id":"h8","attachments":[{"type":"location","payload":{"coordinates":{"latitude":16.0544,"longitude":108.2022}}}]}""")]
    [InlineData("""{"msg_id":"h8","location":{"latitude":"16.0544","longitude":"108.2022"}}""")]
    [InlineData("""{"msg_id":"h8","location":{"latitude":16.0544,"longitude":108.2022}}""")]
    public void A_location_is_read_in_both_known_shapes_as_strings_or_numbers(string message)
    {
        var parsed = Single(UserEvent("user_send_location", message));

        Assert.Equal(new GeoPoint(16.0544, 108.2022), parsed.Location);
        Assert.Equal("h8", parsed.DeliveryId);
    }

    [Theory]
    [InlineData("""{"app_id":"2553928453557884079","follower":{"id":"6142494823715306254"},"oa_id":"3662729599332560487","event_name":"follow","timestamp":"1699003881354"}""")]
    [InlineData("""{"app_id":"2553928453557884079","follower":{"id":"6142494823715306254"},"oa_id":"3662729599332560487","event_name":"unfollow","source":"oa_profile","user_id_by_app":"979122185046046317","timestamp":"1699003881354"}""")]
    [InlineData("""{"event_name":"oa_send_text","app_id":"2553928453557884079","sender":{"id":"3662729599332560487"},"recipient":{"id":"6142494823715306254"},"message":{"text":"Bạn cần gì?","msg_id":"i9"},"timestamp":"1699003881354"}""")]
    [InlineData("""{"event_name":"user_received_message","app_id":"2553928453557884079","sender":{"id":"3662729599332560487"},"recipient":{"id":"6142494823715306254"},"message":{"msg_id":"i9"},"timestamp":"1699003881354"}""")]
    [InlineData("""{"event_name":"user_seen_message","app_id":"2553928453557884079","sender":{"id":"3662729599332560487"},"recipient":{"id":"6142494823715306254"},"message":{"msg_ids":["i9","j0"]},"timestamp":"1699003881354"}""")]
    public void Follows_echoes_and_receipts_are_acknowledged_without_a_turn(string json)
    {
        Assert.IsType<ParsedWebhook.Ignored>(Parse(json));
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"event_name\":5}")]
    [InlineData("{\"event_name\":\"user_send_text\",\"message\":{\"text\":\"no sender\",\"msg_id\":\"k1\"}}")]
    [InlineData("{\"event_name\":\"user_send_text\",\"sender\":{\"id\":\"6142494823715306254\"}}")]
    [InlineData("{\"event_name\":\"user_send_text\",\"sender\":{\"id\":\"\"},\"message\":{\"text\":\"x\"}}")]
    public void A_malformed_event_is_invalid(string body)
    {
        Assert.IsType<ParsedWebhook.Invalid>(Parse(body));
    }

    [Fact]
    public void Random_bytes_and_mangled_samples_are_never_an_exception()
    {
        var random = new Random(7_2026);
        var sample = Bytes(CapturedText);
        for (var i = 0; i < 3000; i++)
        {
            byte[] body;
            if (i % 2 == 0)
            {
                body = new byte[random.Next(0, 300)];
                random.NextBytes(body);
            }
            else
            {
                body = (byte[])sample.Clone();
                for (var flips = random.Next(1, 6); flips > 0; flips--) body[random.Next(body.Length)] = (byte)random.Next(256);
                if (random.Next(4) == 0) body = body[..random.Next(body.Length)];
            }

            Assert.NotNull(ZaloEventParser.Parse(body, ReceivedAt));
            ZaloSignature.Verify(body, "mac=" + Mac(body), OaSecretKey);
        }
    }
}
