using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using TipBot.Core.Messaging;
using TipBot.Server.Persistence;

namespace TipBot.Server.Outbox;

/// <summary>
/// Messages that must reach someone even if sending fails now: a row keyed so that the same
/// notice is written once, then a job that sends it. The records are the truth; the sweep
/// re-enqueues rows a lost job never sent.
/// </summary>
public sealed class OutboxWriter(IServiceScopeFactory scopes, IBackgroundJobClient jobs, PersonalData personal, TimeProvider clock)
{
    public async Task AddAndEnqueueAsync(string key, ChatAddress to, Reply reply, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TipBotDbContext>();
        var id = await AddAsync(db, key, to, reply, ct);
        if (id is { } added) jobs.Enqueue<SendOutboundJob>(j => j.RunAsync(added, CancellationToken.None));
    }

    /// <summary>Which of these keys the outbox holds already (the messages are its to send).</summary>
    public async Task<IReadOnlySet<string>> HeldAsync(IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        if (keys.Count == 0) return new HashSet<string>();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TipBotDbContext>();
        return (await db.Outbox.AsNoTracking().Where(o => keys.Contains(o.Key)).Select(o => o.Key).ToListAsync(ct)).ToHashSet();
    }

    /// <summary>Adds the row in the caller's unit of work; returns its id, or null if the key exists already.</summary>
    public async Task<Guid?> AddAsync(TipBotDbContext db, string key, ChatAddress to, Reply reply, CancellationToken ct)
    {
        if (await db.Outbox.AnyAsync(o => o.Key == key, ct)) return null;
        var record = ToRecord(key, to, reply);
        db.Outbox.Add(record);
        try
        {
            await db.SaveChangesAsync(ct);
            return record.Id;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            db.Entry(record).State = EntityState.Detached;
            return null;
        }
    }

    public OutboxRecord ToRecord(string key, ChatAddress to, Reply reply) => new()
    {
        Id = RecordIds.New(),
        Key = key,
        Channel = to.Channel,
        ChatId = personal.Protect(to.ChatId),
        ChatKey = personal.ChatKey(to.Channel, to.ChatId),
        Text = reply.Text,
        ButtonsJson = reply.Buttons is { Count: > 0 } b ? JsonSerializer.Serialize(b) : null,
        CreatedAt = clock.GetUtcNow().UtcDateTime,
    };

    public static Reply ToReply(OutboxRecord record) =>
        new(record.Text, record.ButtonsJson is null ? null : JsonSerializer.Deserialize<List<Button>>(record.ButtonsJson));
}
