using TipBot.Channels;
using System.Text;
using BenchmarkDotNet.Attributes;
using TipBot.Channels.Telegram;
using Microsoft.AspNetCore.Http;
using TipBot.Server.Conversations;
using TipBot.Server.Webhooks;

namespace TipBot.Benchmarks.Micro;

/// <summary>The CPU work of a webhook turn around the dialog: reading the body, parsing the update and hashing the storage keys.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class WebhookBenchmarks
{
    private static readonly byte[] TextUpdate = Encoding.UTF8.GetBytes("""
        {"update_id":10001,"message":{"message_id":1366,"from":{"id":7300000001,"is_bot":false,"first_name":"Test","language_code":"vi"},
        "chat":{"id":7300000001,"type":"private","first_name":"Test"},"date":1441645532,
        "text":"Tối qua có nhóm thanh niên bán ma túy ở phường Hải Châu, gần chợ"}}
        """);

    private static readonly byte[] ButtonUpdate = Encoding.UTF8.GetBytes("""
        {"update_id":10002,"callback_query":{"id":"4382bfdwdsb323b2d9","from":{"id":7300000001,"is_bot":false,"first_name":"Test","language_code":"vi"},
        "message":{"message_id":1367,"date":1441645532,"chat":{"id":7300000001,"type":"private","first_name":"Test"},"text":"Sự việc xảy ra khi nào?"},
        "chat_instance":"-4123456789012","data":"time:yesterday"}}
        """);

    private readonly ConversationKeys _keys = new(Encoding.UTF8.GetBytes("tipbot-development-hash-key"));
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    [Benchmark]
    public ParsedWebhook Parse_text_update() => TelegramUpdateParser.Parse(TextUpdate, _now);

    [Benchmark]
    public ParsedWebhook Parse_button_update() => TelegramUpdateParser.Parse(ButtonUpdate, _now);

    /// <summary>
    /// The body as the webhooks read it (with its Content-Length, as the platforms send it). Each
    /// call builds its request, so the figures include a DefaultHttpContext and a MemoryStream.
    /// </summary>
    [Benchmark]
    public Task<byte[]?> Read_body() => RequestBody.ReadAsync(Request(TextUpdate), 1024 * 1024, CancellationToken.None);

    /// <summary>The copy loop RequestBody used before the fourteenth session (a 16 KB chunk and a MemoryStream a request), for comparison.</summary>
    [Benchmark]
    public async Task<byte[]?> Read_body_through_a_copy_loop()
    {
        var request = Request(TextUpdate);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk)) > 0) buffer.Write(chunk, 0, read);
        return buffer.ToArray();
    }

    private static HttpRequest Request(byte[] body)
    {
        var request = new DefaultHttpContext().Request;
        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = body.Length;
        return request;
    }

    /// <summary>Both keyed hashes of a turn (conversation and delivery).</summary>
    [Benchmark]
    public string Storage_keys() => _keys.Conversation("telegram", "7300000001") + _keys.Delivery("telegram", "7300000001:1366");
}
