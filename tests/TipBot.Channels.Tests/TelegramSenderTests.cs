using System.Net;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types.ReplyMarkups;
using TipBot.Channels.Telegram;
using TipBot.Core.Messaging;

namespace TipBot.Channels.Tests;

/// <summary>
/// Text goes out through our own sendMessage request (SendText), which reads nothing of the
/// answer back: what it writes must be what Telegram.Bot's typed SendMessage writes, byte for
/// byte, and the library's error handling must still apply.
/// </summary>
public class TelegramSenderTests
{
    private const string Token = "123456:TEST-TOKEN";
    private const long Chat = 7300000001;

    // A sendMessage answer as the Bot API documents it: the whole Message sent.
    private const string Sent = """
        {"ok":true,"result":{"message_id":4242,"from":{"id":123456,"is_bot":true,"first_name":"Công an phường","username":"tipbot_test_bot"},
        "chat":{"id":7300000001,"first_name":"Lan","type":"private"},"date":1764288000,"text":"Bạn muốn giữ ẩn danh không?",
        "reply_markup":{"inline_keyboard":[[{"text":"Giữ ẩn danh","callback_data":"anon:yes"}]]}}}
        """;

    private static (TelegramSender Sender, StubHttp Http) Create(Func<RecordedRequest, int, HttpResponseMessage>? answer = null)
    {
        var http = new StubHttp(answer ?? ((_, _) => StubHttp.Json(Sent)));
        var options = Options.Create(new TelegramOptions { BotToken = Token, ApiBaseUrl = "http://telegram.test" });
        return (new TelegramSender(options, http.Client()), http);
    }

    private static async Task<RecordedRequest> WrittenByTelegramBotAsync(string text, InlineKeyboardMarkup? markup)
    {
        var http = new StubHttp((_, _) => StubHttp.Json(Sent));
        var client = new TelegramBotClient(new TelegramBotClientOptions(Token, baseUrl: "http://telegram.test"), http.Client());
        await client.SendMessage(chatId: Chat, text: text, replyMarkup: markup);
        return Assert.Single(http.Requests);
    }

    [Fact]
    public async Task A_reply_with_choices_is_written_as_Telegram_Bot_writes_it()
    {
        var (sender, http) = Create();
        const string text = "Bạn muốn giữ ẩn danh không? (khuyến nghị) — \"số điện thoại\" chỉ cán bộ thấy";

        await sender.SendAsync(Chat.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new Reply(text, [new Button("Giữ ẩn danh", "anon:yes"), new Button("Để lại số điện thoại", "anon:no")]), CancellationToken.None);

        var ours = Assert.Single(http.Requests);
        var theirs = await WrittenByTelegramBotAsync(text, new InlineKeyboardMarkup(
            [[InlineKeyboardButton.WithCallbackData("Giữ ẩn danh", "anon:yes")], [InlineKeyboardButton.WithCallbackData("Để lại số điện thoại", "anon:no")]]));
        Assert.Equal(theirs.Uri, ours.Uri);
        Assert.Equal(theirs.Method, ours.Method);
        Assert.Equal(theirs.Headers["Content-Type"], ours.Headers["Content-Type"]);
        Assert.Equal(theirs.Body, ours.Body);
        Assert.Contains("\"reply_markup\":{\"inline_keyboard\":[[{\"text\":", ours.Body); // not vacuous: the buttons are there
    }

    [Fact]
    public async Task A_reply_without_choices_and_each_part_of_a_long_one_are_written_as_Telegram_Bot_writes_them()
    {
        var (sender, http) = Create();
        var text = string.Join(' ', Enumerable.Repeat("Mã tin báo của bạn là DN-7K2M9Q.", 200)); // over 4,096 characters: two messages

        await sender.SendAsync(Chat.ToString(System.Globalization.CultureInfo.InvariantCulture), new Reply(text), CancellationToken.None);

        Assert.Equal(2, http.Requests.Count);
        var parts = TextSplitter.Split(text, TelegramSender.TextLimit);
        for (var i = 0; i < parts.Count; i++)
            Assert.Equal((await WrittenByTelegramBotAsync(parts[i], null)).Body, http.Requests[i].Body);
    }

    [Fact]
    public async Task A_rate_limit_still_comes_back_with_Telegrams_retry_after()
    {
        var (sender, _) = Create((_, _) => StubHttp.Json(
            """{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}""", HttpStatusCode.TooManyRequests));

        var e = await Assert.ThrowsAsync<ChannelSendException>(() => sender.SendAsync("7300000001", new Reply("Xin chào"), CancellationToken.None));

        Assert.Equal(SendFailure.RateLimited, e.Failure);
        Assert.Equal(TimeSpan.FromSeconds(7), e.RetryAfter);
    }

    [Fact]
    public async Task A_chat_that_blocked_the_bot_is_a_permanent_failure()
    {
        var (sender, _) = Create((_, _) => StubHttp.Json(
            """{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}""", HttpStatusCode.Forbidden));

        var e = await Assert.ThrowsAsync<ChannelSendException>(() => sender.SendAsync("7300000001", new Reply("Xin chào"), CancellationToken.None));

        Assert.Equal(SendFailure.Permanent, e.Failure);
    }
}
