using System.Text;
using Microsoft.AspNetCore.Http;
using TipBot.Server.Webhooks;

namespace TipBot.Server.Tests.Webhooks;

/// <summary>
/// The webhooks' body reader: signatures are checked on exactly the bytes it returns, and a body
/// over the cap is refused however it arrives (with a length announced, or chunked without one).
/// </summary>
public sealed class RequestBodyTests
{
    private const int Cap = 64 * 1024;

    [Fact]
    public async Task A_body_arriving_in_small_pieces_is_returned_whole_and_exact()
    {
        var sent = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 3_000).Select(i => $"Tố giác {i}; ")));
        var body = await RequestBody.ReadAsync(Request(sent, announceLength: false, piece: 7), Cap, CancellationToken.None);
        Assert.Equal(sent, body);
    }

    [Fact]
    public async Task A_body_of_exactly_the_cap_is_taken()
    {
        var sent = Bytes(Cap);
        Assert.Equal(sent, await RequestBody.ReadAsync(Request(sent, announceLength: true, piece: 1000), Cap, CancellationToken.None));
        Assert.Equal(sent, await RequestBody.ReadAsync(Request(sent, announceLength: false, piece: 1000), Cap, CancellationToken.None));
    }

    [Fact]
    public async Task A_chunked_body_growing_past_the_cap_is_refused()
    {
        var body = await RequestBody.ReadAsync(Request(Bytes(Cap + 1), announceLength: false, piece: 4096), Cap, CancellationToken.None);
        Assert.Null(body);
    }

    [Fact]
    public async Task A_body_announcing_more_than_the_cap_is_refused_before_it_is_read()
    {
        var stream = new PieceStream(Bytes(Cap + 1), 4096);
        var request = new DefaultHttpContext().Request;
        request.Body = stream;
        request.ContentLength = Cap + 1;
        Assert.Null(await RequestBody.ReadAsync(request, Cap, CancellationToken.None));
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public async Task An_empty_body_is_empty_bytes()
    {
        var body = await RequestBody.ReadAsync(Request([], announceLength: false, piece: 1), Cap, CancellationToken.None);
        Assert.NotNull(body);
        Assert.Empty(body);
    }

    private static byte[] Bytes(int count) => Enumerable.Range(0, count).Select(i => (byte)(i * 31)).ToArray();

    private static HttpRequest Request(byte[] body, bool announceLength, int piece)
    {
        var request = new DefaultHttpContext().Request;
        request.Body = new PieceStream(body, piece);
        if (announceLength) request.ContentLength = body.Length;
        return request;
    }

    /// <summary>A body that a slow network delivers at most <paramref name="piece"/> bytes at a time.</summary>
    private sealed class PieceStream(byte[] content, int piece) : MemoryStream(content, writable: false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, piece));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            return await base.ReadAsync(buffer[..Math.Min(buffer.Length, piece)], cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
