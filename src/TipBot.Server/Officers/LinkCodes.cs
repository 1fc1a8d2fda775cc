using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using TipBot.Dialogs.Engine;
using TipBot.Dialogs.Resources;
using TipBot.Server.Directory;
using TipBot.Server.Persistence;

namespace TipBot.Server.Officers;

/// <summary>
/// One-time codes that link an officer's chat account: an admin issues one for an officer, the
/// officer types /link CODE in the chat app, and alerts go to that chat from then on.
/// </summary>
public sealed class LinkCodes(TipBotDbContext db, DirectoryCache directory, Notifier notifier, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(72);
    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"; // no 0/O, 1/I/L: read over the phone

    public async Task<string> IssueAsync(string officerId, CancellationToken ct)
    {
        if (!await db.Officers.AnyAsync(o => o.Id == officerId, ct)) throw new KeyNotFoundException($"No officer {officerId}");
        var code = string.Create(8, 0, (span, _) => { for (var i = 0; i < span.Length; i++) span[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]; });
        db.LinkCodes.Add(new LinkCodeRecord { Code = code, OfficerId = officerId, ExpiresAt = clock.GetUtcNow().UtcDateTime + Lifetime });
        await db.SaveChangesAsync(ct);
        return code;
    }

    public async Task HandleAsync(LinkChat command, CancellationToken ct)
    {
        var code = command.Code.Trim().ToUpperInvariant();
        var now = clock.GetUtcNow().UtcDateTime;
        var record = await db.LinkCodes.AsNoTracking().FirstOrDefaultAsync(l => l.Code == code, ct);
        var used = record is not null && await db.LinkCodes
            .Where(l => l.Code == code && l.UsedAt == null && l.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), ct) == 1;
        if (!used)
        {
            await notifier.SendAsync($"link:{command.RequestId:N}", command.Chat, Texts.Get(command.Culture, "LinkFailed"), ct);
            return;
        }
        await db.Officers.Where(o => o.Id == record!.OfficerId).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.Channel, command.Chat.Channel)
            .SetProperty(o => o.ChatId, command.Chat.ChatId), ct);
        directory.Invalidate();
        var name = await db.Officers.Where(o => o.Id == record!.OfficerId).Select(o => o.FullName).FirstAsync(ct);
        await notifier.SendAsync($"link:{command.RequestId:N}", command.Chat, Texts.Format(command.Culture, "LinkOk", name), ct);
    }
}
