using Microsoft.EntityFrameworkCore;
using TipBot.Dialogs.Engine;
using TipBot.Server.Persistence;

namespace TipBot.Server.Notices;

/// <summary>Keeps subscriptions: one row per (chat, unit), switched on and off, never duplicated.</summary>
public sealed class SubscriptionHandler(TipBotDbContext db, PersonalData personal, TimeProvider clock)
{
    public async Task SubscribeAsync(Subscribe command, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var key = personal.ChatKey(command.Chat.Channel, command.Chat.ChatId);
        var existing = await db.Subscribers.FirstOrDefaultAsync(s =>
            s.Channel == command.Chat.Channel && s.ChatKey == key && s.UnitCode == command.UnitCode, ct);
        if (existing is null)
            db.Subscribers.Add(new SubscriberRecord
            {
                Id = Guid.NewGuid(), Channel = command.Chat.Channel, ChatId = personal.Protect(command.Chat.ChatId), ChatKey = key, UnitCode = command.UnitCode,
                Culture = command.Culture, CreatedAt = now, UpdatedAt = now,
            });
        else
            (existing.Active, existing.Culture, existing.UpdatedAt) = (true, command.Culture, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // the same subscription, recorded concurrently
        }
    }

    public Task UnsubscribeAsync(Unsubscribe command, CancellationToken ct) =>
        db.Subscribers.Where(s => s.Channel == command.Chat.Channel && s.ChatKey == personal.ChatKey(command.Chat.Channel, command.Chat.ChatId) && s.Active)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Active, false).SetProperty(x => x.UpdatedAt, clock.GetUtcNow().UtcDateTime), ct);
}
