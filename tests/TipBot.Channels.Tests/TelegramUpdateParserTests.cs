using TipBot.Channels;
using System.Text;
using TipBot.Channels.Telegram;
using TipBot.Core.Messaging;

namespace TipBot.Channels.Tests;

public class TelegramUpdateParserTests
{
    // Telegram's own test update (CHANNELS.md), byte for byte.
    private const string StartSample = """
        {"update_id":10000,
        "message":{
          "date":1441645532,
          "chat":{"last_name":"Test Lastname","id":1111111,"type": "private","first_name":"Test Firstname","username":"Testusername"},
          "message_id":1365,
          "from":{"last_name":"Test Lastname","id":1111111,"first_name":"Test Firstname","username":"Testusername"},
          "text":"/start"}}
        """;

    private const string InlineCallbackSample = """
        {"update_id":10000,
        "callback_query":{
          "id": "4382bfdwdsb323b2d9",
          "from":{"last_name":"Test Lastname","type": "private","id":1111111,"first_name":"Test Firstname","username":"Testusername"},
          "data": "Data from button callback",
          "inline_message_id": "1234csdbsk4839"}}
        """;

    private static ParsedWebhook Parse(string json) => TelegramUpdateParser.Parse(Encoding.UTF8.GetBytes(json), ReceivedAt);
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    private static InboundMessage Single(ParsedWebhook parsed) =>
        Assert.Single(Assert.IsType<ParsedWebhook.Messages>(parsed).Items);

    private static string PrivateMessage(string fields, long chatId = 1111111, string type = "private", string update = "message") => $$$"""
        {"update_id":10001,"{{{update}}}":{"message_id":1366,"date":1441645600,
          "chat":{"id":{{{chatId}}},"type":"{{{type}}}","first_name":"Lan"},
          "from":{"id":{{{chatId}}},"is_bot":false,"first_name":"Lan","language_code":"vi"},
          {{{fields}}}}}
        """;

    [Fact]
    public void The_start_sample_becomes_one_inbound_message()
    {
        var message = Single(Parse(StartSample));

        Assert.Equal("telegram", message.Channel);
        Assert.Equal("1111111", message.ChatId);
        Assert.Equal("1111111:1365", message.DeliveryId);
        Assert.Equal("/start", message.Text);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1441645532), message.SentAt);
        Assert.Equal(new DateTimeOffset(2015, 9, 7, 17, 5, 32, TimeSpan.Zero), message.SentAt);
        Assert.Equal(TimeSpan.Zero, message.SentAt.Offset);
        Assert.Null(message.ButtonPayload);
        Assert.Empty(message.Attachments);
        Assert.Null(Assert.IsType<ParsedWebhook.Messages>(Parse(StartSample)).CallbackQueryId);
    }

    [Fact]
    public void A_chat_id_beyond_32_bits_is_kept_as_an_invariant_string()
    {
        var message = Single(Parse(PrivateMessage("\"text\":\"alo\"", chatId: 7000000000)));

        Assert.Equal("7000000000", message.ChatId);
        Assert.Equal("7000000000:1366", message.DeliveryId);
        Assert.Equal("vi", message.LanguageHint);
    }

    [Fact]
    public void The_inline_mode_callback_sample_is_ignored()
    {
        Assert.IsType<ParsedWebhook.Ignored>(Parse(InlineCallbackSample));
    }

    [Fact]
    public void A_callback_on_a_chat_message_carries_the_button_payload()
    {
        const string json = """
            {"update_id":10002,"callback_query":{"id":"4382bfdwdsb323b2d9",
              "from":{"id":1111111,"is_bot":false,"first_name":"Lan","language_code":"en"},
              "message":{"message_id":1367,"date":1441645700,"chat":{"id":1111111,"type":"private"},"text":"Bạn muốn giữ ẩn danh không?"},
              "chat_instance":"-5123456789","data":"anon:yes"}}
            """;

        var parsed = Assert.IsType<ParsedWebhook.Messages>(Parse(json));
        var message = Assert.Single(parsed.Items);

        Assert.Equal("4382bfdwdsb323b2d9", parsed.CallbackQueryId);
        Assert.Equal("anon:yes", message.ButtonPayload);
        Assert.Equal("cb:4382bfdwdsb323b2d9", message.DeliveryId);
        Assert.Equal("1111111", message.ChatId);
        Assert.Equal("telegram", message.Channel);
        Assert.Null(message.Text);
        Assert.Equal("en", message.LanguageHint);
    }

    [Fact]
    public void A_voice_note_is_one_audio_attachment()
    {
        var message = Single(Parse(PrivateMessage(
            "\"voice\":{\"file_id\":\"AwADBAADbXXXXXXXXXXXGBdhD2l6_XX\",\"duration\":5,\"mime_type\":\"audio/ogg\",\"file_size\":23000}")));

        var attachment = Assert.Single(message.Attachments);
        Assert.Equal(AttachmentKind.Audio, attachment.Kind);
        Assert.Equal("AwADBAADbXXXXXXXXXXXGBdhD2l6_XX", attachment.Reference);
        Assert.Null(message.Text);
    }

    [Fact]
    public void A_photo_is_one_image_attachment_of_the_largest_size()
    {
        var message = Single(Parse(PrivateMessage("""
            "caption":"xe không biển số",
            "photo":[{"file_id":"small","file_unique_id":"s","width":90,"height":67,"file_size":1200},
                     {"file_id":"medium","file_unique_id":"m","width":320,"height":240,"file_size":18000},
                     {"file_id":"large","file_unique_id":"l","width":1280,"height":960,"file_size":140000}]
            """)));

        var attachment = Assert.Single(message.Attachments);
        Assert.Equal(AttachmentKind.Image, attachment.Kind);
        Assert.Equal("large", attachment.Reference);
        Assert.Equal("xe không biển số", message.Text);
    }

    [Theory]
    [InlineData("group")]
    [InlineData("supergroup")]
    [InlineData("channel")]
    public void A_message_outside_a_private_chat_is_ignored(string type)
    {
        Assert.IsType<ParsedWebhook.Ignored>(Parse(PrivateMessage("\"text\":\"alo\"", chatId: -1001234567890, type: type)));
    }

    [Fact]
    public void An_edited_message_is_ignored()
    {
        Assert.IsType<ParsedWebhook.Ignored>(Parse(PrivateMessage("\"edit_date\":1441645900,\"text\":\"sửa lại\"", update: "edited_message")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"update_id\":")]
    [InlineData("[]")]
    [InlineData("[{\"update_id\":1}]")]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("\"update\"")]
    [InlineData("<xml/>")]
    [InlineData("{\"update_id\":1,\"message\":{\"message_id\":99999999999,\"date\":1,\"chat\":{\"id\":1,\"type\":\"private\"}}}")]
    [InlineData("{\"update_id\":1,\"message\":{\"message_id\":1,\"date\":99999999999999999,\"chat\":{\"id\":1,\"type\":\"private\"}}}")]
    [InlineData("{\"update_id\":1,\"message\":{\"message_id\":1,\"date\":1,\"chat\":{\"id\":\"abc\",\"type\":\"private\"}}}")]
    public void Malformed_bodies_are_invalid(string body)
    {
        Assert.IsType<ParsedWebhook.Invalid>(Parse(body));
    }

    [Fact]
    public void Random_bytes_are_invalid_and_never_throw()
    {
        var random = new Random(20250701);
        for (var i = 0; i < 500; i++)
        {
            var bytes = new byte[random.Next(0, 256)];
            random.NextBytes(bytes);
            if (i % 3 == 0 && bytes.Length > 0) bytes[0] = (byte)'{'; // get past the first byte now and then
            var parsed = TelegramUpdateParser.Parse(bytes, ReceivedAt);
            Assert.True(parsed is ParsedWebhook.Invalid, $"bytes #{i} ({Convert.ToHexString(bytes)}) gave {parsed}");
        }
    }
}
