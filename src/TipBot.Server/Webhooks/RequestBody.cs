using TipBot.Channels;
using TipBot.Server.Conversations;

namespace TipBot.Server.Webhooks;

/// <summary>Reads a request body once, as raw bytes, with a size cap: signatures are checked on exactly these bytes.</summary>
public static class RequestBody
{
    /// <summary>The bytes, or null when the body is larger than <paramref name="maxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return null;
        // Sized by Content-Length, so a webhook allocates one array, the one returned (a copy loop
        // through a 16 KB chunk cost 17 KB a webhook). Each piece is consumed once copied, so the
        // server never has to hold a whole body in its input buffers for us.
        var bytes = new byte[request.ContentLength ?? 4096];
        var length = 0;
        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(ct);
            foreach (var piece in read.Buffer)
            {
                if (length + piece.Length > maxBytes)
                {
                    reader.AdvanceTo(read.Buffer.End);
                    return null;
                }
                if (length + piece.Length > bytes.Length) Array.Resize(ref bytes, Math.Min(maxBytes, Math.Max(2 * bytes.Length, length + piece.Length)));
                piece.Span.CopyTo(bytes.AsSpan(length));
                length += piece.Length;
            }
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted) return length == bytes.Length ? bytes : bytes[..length];
        }
    }
}

/// <summary>
/// What every webhook does with a parsed body: 400 for an invalid one, a turn per message, 200; 503
/// when a message has to be delivered again (the ones done already are recognised as duplicates).
/// </summary>
public static class ParsedWebhookProcessing
{
    public static async Task<IResult> ProcessAsync(this TurnProcessor processor, ParsedWebhook parsed, CancellationToken ct)
    {
        switch (parsed)
        {
            case ParsedWebhook.Invalid invalid:
                return Results.BadRequest(new { error = invalid.Reason });
            case ParsedWebhook.Messages messages:
                var postponed = false;
                foreach (var message in messages.Items)
                    postponed |= await processor.HandleAsync(message, ct) == TurnOutcome.Postponed;
                return postponed ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.Ok();
            default:
                return Results.Ok(); // valid, but nothing for the bot (echoes, receipts, follows, group chats)
        }
    }
}
