using Hangfire;
using TipBot.Core.Messaging;
using TipBot.Server.Outbox;
using TipBot.Server.Persistence;

namespace TipBot.Server.Officers;

/// <summary>Messages that commands and jobs send: written to the outbox under a key, then sent by a job.</summary>
public sealed class Notifier(TipBotDbContext db, OutboxWriter outbox, IBackgroundJobClient jobs)
{
    public async Task SendAsync(string key, ChatAddress to, Reply reply, CancellationToken ct)
    {
        if (await outbox.AddAsync(db, key, to, reply, ct) is { } id)
            jobs.Enqueue<SendOutboundJob>(j => j.RunAsync(id, CancellationToken.None));
    }

    public Task SendAsync(string key, ChatAddress to, string text, CancellationToken ct) => SendAsync(key, to, new Reply(text), ct);
}
