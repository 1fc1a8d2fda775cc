using System.Net;
using System.Text;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Webhooks;

/// <summary>
/// Webhook bodies through the real server (Kestrel over a socket), as the in-memory test server
/// cannot send them: chunked with no Content-Length (as a proxy may forward it) arriving in pieces,
/// and a body just under the cap. The store does not matter here, so the embedded default only.
/// </summary>
[Collection("integration")]
public sealed class WebhookBodyOverKestrelTests : IAsyncLifetime
{
    private TipBotApp _app = null!;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };

    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(StoreMode.Embedded, kestrel: true);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_chunked_update_is_answered_and_its_turn_runs()
    {
        const long resident = 7_190_000_001;
        using var response = await PostChunkedAsync(TelegramUpdates.Text(resident, "Có người trộm xe máy ở phường Hải Vân"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.Get(() => Task.FromResult(_app.Telegram.SentTo(resident).Count), n => n > 0, "the bot's answer to the chunked update");
    }

    [Fact]
    public async Task A_chunked_update_larger_than_the_cap_is_answered_413()
    {
        const long resident = 7_190_000_002;
        using var response = await PostChunkedAsync(TelegramUpdates.Text(resident, new string('a', 2 * 1024 * 1024)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_app.Telegram.SentTo(resident));
    }

    [Fact]
    public async Task An_update_just_under_the_cap_is_read_whole()
    {
        const long resident = 7_190_000_003;
        var json = TelegramUpdates.Text(resident, "Có người trộm xe máy ở phường Hải Vân. " + new string('x', 1_040_000));
        Assert.InRange(Encoding.UTF8.GetByteCount(json), 1_000_000, 1024 * 1024);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_app.KestrelAddress!, "webhooks/telegram")) { Content = TelegramUpdates.Content(json) };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", TipBotApp.Secret);

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.Get(() => Task.FromResult(_app.Telegram.SentTo(resident).Count), n => n > 0, "the bot's answer to the long update");
    }

    /// <summary>Posts the update with Transfer-Encoding: chunked (its length unknown), in pieces that arrive one after another.</summary>
    private async Task<HttpResponseMessage> PostChunkedAsync(string json)
    {
        var content = new StreamContent(new Trickle(Encoding.UTF8.GetBytes(json)), 4096);
        content.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_app.KestrelAddress!, "webhooks/telegram")) { Content = content };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", TipBotApp.Secret);
        var response = await _http.SendAsync(request);
        Assert.True(request.Headers.TransferEncodingChunked, "the update went chunked");
        return response;
    }

    /// <summary>A body of unknown length that yields at most 64 bytes a read, the first few a moment apart.</summary>
    private sealed class Trickle(byte[] content) : MemoryStream(content, writable: false)
    {
        private int _reads;

        public override bool CanSeek => false;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_reads++ < 8) await Task.Delay(20, cancellationToken);
            return await base.ReadAsync(buffer[..Math.Min(buffer.Length, 64)], cancellationToken);
        }
    }
}
