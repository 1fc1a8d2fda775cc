using global::Telegram.Bot;
using global::Telegram.Bot.Exceptions;
using global::Telegram.Bot.Types.ReplyMarkups;
using Microsoft.Extensions.Options;
using TipBot.Core.Messaging;

namespace TipBot.Channels.Telegram;

/// <summary>
/// Sends through Telegram.Bot. Its own 429 retry is switched off (RetryThreshold = 0): a wait of
/// up to a minute inside a request or a job would hold a thread, so rate limits surface as
/// <see cref="SendFailure.RateLimited"/> and our pipeline or Hangfire decides when to try again.
/// </summary>
public sealed class TelegramSender : IChannelSender
{
    public const int TextLimit = 4096;
    private readonly TelegramBotClient _client;

    public TelegramSender(IOptions<TelegramOptions> options, HttpClient httpClient)
    {
        var o = options.Value;
        _client = new TelegramBotClient(new TelegramBotClientOptions(o.BotToken!, baseUrl: o.ApiBaseUrl) { RetryThreshold = 0, RetryCount = 1 }, httpClient);
    }

    public ITelegramBotClient Client => _client;

    public string Channel => TelegramUpdateParser.Channel;

    public async Task SendAsync(string chatId, Reply reply, CancellationToken ct)
    {
        var parts = TextSplitter.Split(reply.Text, TextLimit);
        for (var i = 0; i < parts.Count; i++)
        {
            var last = i == parts.Count - 1;
            var markup = last && reply.ButtonsOrEmpty.Count > 0
                ? new InlineKeyboardMarkup(reply.ButtonsOrEmpty.Select(b => new[] { InlineKeyboardButton.WithCallbackData(b.Label, b.Payload) }))
                : null;
            await Call(() => _client.SendMessage(chatId: long.Parse(chatId, System.Globalization.CultureInfo.InvariantCulture), text: parts[i], replyMarkup: markup, cancellationToken: ct), ct);
        }
    }

    private static async Task Call(Func<Task> send, CancellationToken ct)
    {
        try
        {
            await send();
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is not OperationCanceledException)
        {
            // Our own deadline, whatever Telegram.Bot wrapped it in: not the platform's failure.
            throw new OperationCanceledException(e.Message, e, ct);
        }
        catch (ApiRequestException e) when (e.ErrorCode == 429)
        {
            throw new ChannelSendException(TelegramUpdateParser.Channel, SendFailure.RateLimited, e.Message,
                TimeSpan.FromSeconds(e.Parameters?.RetryAfter ?? 1), e);
        }
        catch (ApiRequestException e) when (e.ErrorCode is 400 or 403)
        {
            throw new ChannelSendException(TelegramUpdateParser.Channel, SendFailure.Permanent, e.Message, inner: e);
        }
        catch (Exception e) when (e is ApiRequestException or RequestException or HttpRequestException or TaskCanceledException)
        {
            throw new ChannelSendException(TelegramUpdateParser.Channel, SendFailure.Transient, e.Message, inner: e);
        }
    }
}
