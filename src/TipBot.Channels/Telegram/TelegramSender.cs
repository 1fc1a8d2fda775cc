using System.Collections.Concurrent;
using global::Telegram.Bot;
using global::Telegram.Bot.Exceptions;
using global::Telegram.Bot.Types;
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
    /// <summary>A photo's caption: 0-1024 characters.</summary>
    public const int CaptionLimit = 1024;
    private readonly TelegramBotClient _client;
    private readonly ConcurrentDictionary<string, string> _fileIds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _uploads = new(StringComparer.Ordinal);

    public TelegramSender(IOptions<TelegramOptions> options, HttpClient httpClient)
    {
        var o = options.Value;
        _client = new TelegramBotClient(new TelegramBotClientOptions(o.BotToken!, baseUrl: o.ApiBaseUrl) { RetryThreshold = 0, RetryCount = 1 }, httpClient);
    }

    public ITelegramBotClient Client => _client;

    public string Channel => TelegramUpdateParser.Channel;

    public async Task SendAsync(string chatId, Reply reply, CancellationToken ct)
    {
        var chat = long.Parse(chatId, System.Globalization.CultureInfo.InvariantCulture);
        var markup = reply.ButtonsOrEmpty.Count > 0
            ? new InlineKeyboardMarkup(reply.ButtonsOrEmpty.Select(b => new[] { InlineKeyboardButton.WithCallbackData(b.Label, b.Payload) }))
            : null;
        var text = reply.Text;
        if (reply.Image is { } image)
        {
            // The text rides as the photo's caption when it fits; else the photo goes first, bare, and the text after it.
            var captioned = text.Length <= CaptionLimit;
            await SendPhotoAsync(chat, image, captioned ? text : null, captioned ? markup : null, ct);
            if (captioned) return;
        }
        var parts = TextSplitter.Split(text, TextLimit);
        for (var i = 0; i < parts.Count; i++)
        {
            var last = i == parts.Count - 1;
            var part = parts[i];
            await Call(() => _client.SendRequest(new SendText(chat, part, last ? markup : null), ct), ct);
        }
    }

    /// <summary>
    /// The first send of an image uploads it (or hands Telegram its URL); Telegram answers with a
    /// file_id that every later send reuses, so a broadcast to 20,000 chats uploads the image once
    /// per process. Until the first upload succeeds, sends of that image wait for it in turn.
    /// </summary>
    private async Task SendPhotoAsync(long chat, ReplyImage image, string? caption, InlineKeyboardMarkup? markup, CancellationToken ct)
    {
        if (!_fileIds.ContainsKey(image.Key))
        {
            var gate = _uploads.GetOrAdd(image.Key, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(ct);
            try
            {
                if (!_fileIds.ContainsKey(image.Key))
                {
                    InputFile photo = image.Content is { } read
                        ? InputFile.FromStream(new MemoryStream(await read(ct)), "notice")
                        : image.PublicUrl is { } url ? InputFile.FromUri(url)
                        : throw new ChannelSendException(Channel, SendFailure.Permanent, "the image has neither content nor an https URL");
                    Message? sent = null;
                    await Call(async () => sent = await _client.SendPhoto(chat, photo, caption: caption, replyMarkup: markup, cancellationToken: ct), ct);
                    if (sent?.Photo is { Length: > 0 } sizes) _fileIds[image.Key] = sizes[^1].FileId;
                    return;
                }
            }
            finally
            {
                gate.Release();
            }
        }
        var fileId = _fileIds[image.Key];
        await Call(() => _client.SendPhoto(chat, InputFile.FromFileId(fileId), caption: caption, replyMarkup: markup, cancellationToken: ct), ct);
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
