using System.Buffers;
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
        // The request's pipe holds the body in the server's pooled buffers until it is complete, so
        // a request allocates one array, the one returned (a copy loop cost 17 KB a webhook).
        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(ct);
            var body = read.Buffer;
            if (body.Length > maxBytes)
            {
                reader.AdvanceTo(body.End);
                return null;
            }
            if (read.IsCompleted)
            {
                var bytes = body.ToArray();
                reader.AdvanceTo(body.End);
                return bytes;
            }
            reader.AdvanceTo(body.Start, body.End); // nothing consumed yet, all of it seen: wait for more
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
