using TipBot.Channels;
using System.Text;
using TipBot.Channels.Messenger;
using TipBot.Channels.Telegram;
using TipBot.Core.Messaging;
using static TipBot.Channels.Tests.Messenger.MessengerSamples;

namespace TipBot.Channels.Tests.Messenger;

public class MessengerEventParserTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    private static ParsedWebhook Parse(string json) => MessengerEventParser.Parse(Bytes(json), ReceivedAt);

    private static IReadOnlyList<InboundMessage> Messages(string json) => Assert.IsType<ParsedWebhook.Messages>(Parse(json)).Items;

    private static InboundMessage Single(string json) => Assert.Single(Messages(json));

    [Fact]
    public void The_quick_reply_sample_becomes_a_message_carrying_the_payload()
    {
        var message = Single(QuickReply);

        Assert.Equal("messenger", message.Channel);
        Assert.Equal(Psid, message.ChatId);
        Assert.Equal(Mid, message.DeliveryId);
        Assert.Equal("hello, world!", message.Text);
        Assert.Equal("time:today", message.ButtonPayload);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1458692752478), message.SentAt);
        Assert.Equal(TimeSpan.Zero, message.SentAt.Offset);
        Assert.Empty(message.Attachments);
    }

    [Fact]
    public void Vietnamese_text_sent_escaped_as_Meta_sends_it_is_read_back_whole()
    {
        const string escaped = "\"C\\u00f3 ng\\u01b0\\u1eddi b\\u00e1n ma t\\u00fay \\u1edf ph\\u01b0\\u1eddng H\\u1ea3i Ch\\u00e2u\"";
        var json = Envelope(Event($$"""
            "message":{"mid":"{{Mid}}","text":{{escaped}}}
            """));

        Assert.Equal("Có người bán ma túy ở phường Hải Châu", Single(json).Text);
    }

    [Theory]
    [InlineData("image", AttachmentKind.Image)]
    [InlineData("video", AttachmentKind.Video)]
    [InlineData("audio", AttachmentKind.Audio)]
    [InlineData("file", AttachmentKind.File)]
    [InlineData("reel", AttachmentKind.Other)]
    public void An_attachment_keeps_its_kind_and_url(string type, AttachmentKind kind)
    {
        const string url = "https://scontent.xx.fbcdn.net/v/t1.15752-9/photo_n.jpg?_nc_cat=1&oh=00_AfB";
        var json = Envelope(Event($$$"""
            "message":{"mid":"{{{Mid}}}","attachments":[{"type":"{{{type}}}","payload":{"url":"{{{url}}}"}}]}
            """));

        var message = Single(json);

        Assert.Equal(new Attachment(kind, url), Assert.Single(message.Attachments));
        Assert.Null(message.Text);
    }

    [Fact]
    public void A_sticker_sent_both_as_sticker_and_as_image_is_one_sticker_and_no_photo()
    {
        const string url = "https://scontent.xx.fbcdn.net/v/t39.1997-6/851557_369239266556155_759568595_n.png";
        var json = Envelope(Event($$$"""
            "message":{"mid":"{{{Mid}}}","sticker_id":369239263222822,"attachments":[
              {"type":"image","payload":{"url":"{{{url}}}","sticker_id":369239263222822}},
              {"type":"sticker","payload":{"url":"{{{url}}}","sticker_id":369239263222822}}]}
            """));

        var attachment = Assert.Single(Single(json).Attachments);

        Assert.Equal(AttachmentKind.Sticker, attachment.Kind);
    }

    [Fact]
    public void A_shared_location_becomes_a_geo_point()
    {
        var json = Envelope(Event($$$$"""
            "message":{"mid":"{{{{Mid}}}}","attachments":[{"type":"location","title":"Pinned Location",
              "payload":{"coordinates":{"lat":16.0678,"long":108.2208}}}]}
            """));

        var message = Single(json);

        Assert.Equal(new GeoPoint(16.0678, 108.2208), message.Location);
        Assert.Empty(message.Attachments);
    }

    [Fact]
    public void A_postback_carries_its_payload_and_is_keyed_on_its_mid()
    {
        var json = Envelope(Event($$"""
            "postback":{"mid":"{{Mid}}","title":"Báo tin","payload":"menu:report"}
            """));

        var message = Single(json);

        Assert.Equal("menu:report", message.ButtonPayload);
        Assert.Equal(Mid, message.DeliveryId);
        Assert.Null(message.Text);
    }

    [Fact]
    public void A_get_started_postback_with_a_command_payload_is_read_as_the_command()
    {
        var json = Envelope(Event("""
            "postback":{"title":"Get Started","payload":"/start"}
            """));

        var message = Single(json);

        Assert.Equal("/start", message.Text);
        Assert.Null(message.ButtonPayload);
        Assert.Equal($"postback:{Psid}:1458692752478", message.DeliveryId);
    }

    [Fact]
    public void Every_event_of_every_entry_of_a_batch_is_read_in_order_and_echoes_and_receipts_are_skipped()
    {
        var echo = Event($$"""
            "message":{"is_echo":true,"app_id":1517776481860111,"metadata":"","mid":"m_echo{{Mid[6..]}}","text":"Bạn cần gì?"}
            """, psid: PageId);
        var delivery = Event($$"""
            "delivery":{"mids":["{{Mid}}"],"watermark":1458668856253}
            """);
        var read = Event("""
            "read":{"watermark":1458668856253}
            """);
        var json = $$"""
            {"object":"page","entry":[
              {"id":"{{PageId}}","time":1458692752478,"messaging":[{{Text("một", "m_1" + Mid[3..])}},{{echo}},{{Text("hai", "m_2" + Mid[3..], OtherPsid)}}]},
              {"id":"{{PageId}}","time":1458692752479,"messaging":[{{delivery}},{{read}},{{Text("ba", "m_3" + Mid[3..])}}]}
            ]}
            """;

        var messages = Messages(json);

        Assert.Equal(["một", "hai", "ba"], messages.Select(m => m.Text));
        Assert.Equal([Psid, OtherPsid, Psid], messages.Select(m => m.ChatId));
        Assert.Equal(3, messages.Select(m => m.DeliveryId).Distinct().Count());
    }

    [Fact]
    public void A_body_of_only_echoes_and_receipts_is_ignored()
    {
        var json = Envelope(
            Event($$"""
                "message":{"is_echo":true,"mid":"{{Mid}}","text":"echo"}
                """, psid: PageId),
            Event("""
                "read":{"watermark":1458668856253}
                """));

        Assert.IsType<ParsedWebhook.Ignored>(Parse(json));
    }

    [Fact]
    public void Entries_without_messaging_and_other_objects_are_ignored()
    {
        Assert.IsType<ParsedWebhook.Ignored>(Parse($$"""{"object":"page","entry":[{"id":"{{PageId}}","time":1,"standby":[]}]}"""));
        Assert.IsType<ParsedWebhook.Ignored>(Parse("""{"object":"instagram","entry":[]}"""));
    }

    [Fact]
    public void A_message_without_its_own_timestamp_takes_the_entry_time()
    {
        var json = $$$"""
            {"object":"page","entry":[{"id":"{{{PageId}}}","time":1518479195594,"messaging":[
              {"sender":{"id":"{{{Psid}}}"},"recipient":{"id":"{{{PageId}}}"},"message":{"mid":"{{{Mid}}}","text":"alo"}}]}]}
            """;

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1518479195594), Single(json).SentAt);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("")]
    [InlineData("[1,2,3]")]
    [InlineData("\"page\"")]
    [InlineData("{}")]
    [InlineData("{\"object\":\"page\"}")]
    [InlineData("{\"object\":\"page\",\"entry\":{}}")]
    [InlineData("{\"object\":\"page\",\"entry\":[5]}")]
    [InlineData("{\"object\":\"page\",\"entry\":[{\"messaging\":{}}]}")]
    [InlineData("{\"object\":\"page\",\"entry\":[{\"messaging\":[\"x\"]}]}")]
    [InlineData("{\"object\":\"page\",\"entry\":[{\"messaging\":[{\"message\":{\"mid\":\"m_1\",\"text\":\"no sender\"}}]}]}")]
    [InlineData("{\"object\":\"page\",\"entry\":[{\"messaging\":[{\"sender\":{\"id\":\"6754312098765432\"},\"message\":{\"text\":\"no mid\"}}]}]}")]
    [InlineData("{\"object\":\"page\",\"entry\":[{\"messaging\":[{\"sender\":{},\"postback\":{\"payload\":\"x\"}}]}]}")]
    public void A_malformed_body_is_invalid(string body)
    {
        Assert.IsType<ParsedWebhook.Invalid>(Parse(body));
    }

    [Fact]
    public void Random_bytes_and_mangled_samples_are_never_an_exception()
    {
        var random = new Random(20261126);
        var sample = Bytes(QuickReply);
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

            var parsed = MessengerEventParser.Parse(body, ReceivedAt);

            Assert.NotNull(parsed);
        }
    }

    [Fact]
    public void Deeply_nested_json_is_invalid_not_a_stack_overflow()
    {
        var json = "{\"object\":\"page\",\"entry\":" + new string('[', 5000) + new string(']', 5000) + "}";

        Assert.IsType<ParsedWebhook.Invalid>(MessengerEventParser.Parse(Encoding.UTF8.GetBytes(json), ReceivedAt));
    }
}
