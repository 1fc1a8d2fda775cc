using Hangfire;
using Microsoft.EntityFrameworkCore;
using TipBot.Core.Messaging;
using TipBot.Dialogs.Engine;
using TipBot.Dialogs.Resources;
using TipBot.Server.Directory;
using TipBot.Server.Outbox;
using TipBot.Server.Persistence;

namespace TipBot.Server.Officers;

/// <summary>
/// An officer accepts a tip. Only the officer the tip was assigned to may; the first accept wins
/// (a conditional update), and the tipster is told which unit took it, never who.
/// </summary>
public sealed class AcceptAssignmentHandler(TipBotDbContext db, DirectoryCache directory, OutboxWriter outbox, IBackgroundJobClient jobs, TimeProvider clock)
{
    public async Task HandleAsync(AcceptAssignment command, CancellationToken ct)
    {
        var units = await directory.GetAsync(ct);
        var officer = units.FindOfficerByChat(command.Officer.Channel, command.Officer.ChatId);
        var assignment = await db.Assignments.FirstOrDefaultAsync(a => a.Id == command.AssignmentId, ct);
        var culture = command.Culture;
        if (officer is null || assignment is null || assignment.OfficerId != officer.Id)
        {
            await NotifyAsync($"accept-refused:{command.AssignmentId:N}:{command.Officer}", command.Officer,
                Texts.Get(culture, "AcceptNotYours"), ct);
            return;
        }

        var tip = await db.Tips.AsNoTracking().FirstAsync(t => t.Id == assignment.TipId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var won = await db.Tips
            .Where(t => t.Id == tip.Id && t.AcceptedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.AcceptedAt, now)
                .SetProperty(t => t.AcceptedByOfficerId, officer.Id)
                .SetProperty(t => t.Status, TipStatus.Accepted), ct) == 1;

        if (won)
        {
            assignment.AcceptedAt = now;
            db.TipEvents.Add(new TipEventRecord { TipId = tip.Id, Kind = "acknowledged", At = now, Detail = officer.Id });
            await db.SaveChangesAsync(ct);
        }
        else if (tip.AcceptedByOfficerId != officer.Id)
        {
            await NotifyAsync($"accept-lost:{tip.Id:N}:{officer.Id}", command.Officer, Texts.Format(culture, "AcceptedByOther", tip.Code), ct);
            return;
        }

        // Reached on the winning accept and on its replays: the keys make each notice one message.
        var unitName = units.FindUnit(assignment.UnitCode)?.Name ?? "";
        await NotifyAsync($"accepted-officer:{tip.Id:N}", command.Officer, Texts.Format(culture, "AcceptedOfficer", tip.Code), ct);
        await NotifyAsync($"accepted-reporter:{tip.Id:N}", new ChatAddress(tip.ReporterChannel, tip.ReporterChatId),
            Texts.Format(tip.Culture, "AcceptedResident", tip.Code, unitName), ct);
    }

    private async Task NotifyAsync(string key, ChatAddress to, string text, CancellationToken ct)
    {
        if (await outbox.AddAsync(db, key, to, new Reply(text), ct) is { } id)
            jobs.Enqueue<SendOutboundJob>(j => j.RunAsync(id, CancellationToken.None));
    }
}
