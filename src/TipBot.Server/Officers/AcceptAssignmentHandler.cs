using Microsoft.EntityFrameworkCore;
using TipBot.Core.Messaging;
using TipBot.Dialogs.Engine;
using TipBot.Dialogs.Resources;
using TipBot.Server.Directory;
using TipBot.Server.Persistence;
using TipBot.Server.Tips;

namespace TipBot.Server.Officers;

/// <summary>
/// An officer accepts a tip. Only an officer it was assigned to may (the current one, or one whose
/// alert escalated past them); the first accept wins (a conditional update), the others are told,
/// and the tipster is told which unit took it, never who.
/// </summary>
public sealed class AcceptAssignmentHandler(TipBotDbContext db, DirectoryCache directory, Notifier notifier, PersonalData personal, TimeProvider clock)
{
    public async Task HandleAsync(AcceptAssignment command, CancellationToken ct)
    {
        var units = await directory.GetAsync(ct);
        var officer = units.FindOfficerByChat(command.Officer.Channel, command.Officer.ChatId);
        var assignment = await db.Assignments.FirstOrDefaultAsync(a => a.Id == command.AssignmentId, ct);
        var culture = command.Culture;
        if (officer is null || assignment is null || assignment.OfficerId != officer.Id)
        {
            await notifier.SendAsync($"refused:{command.AssignmentId:N}:{command.Officer}", command.Officer, Texts.Get(culture, "AcceptNotYours"), ct);
            return;
        }
        var tip = await db.Tips.AsNoTracking().FirstAsync(t => t.Id == assignment.TipId, ct);
        // A moved alert may still be accepted while nobody else has: a late yes beats none.
        if (assignment.Status is AssignmentStatus.Declined)
        {
            await notifier.SendAsync($"moved:{assignment.Id:N}", command.Officer, Texts.Format(culture, "AlertMoved", tip.Code), ct);
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        bool won;
        // The tip's acceptance and its assignment's in one transaction: a crash between the two
        // left a tip accepted whose assignment still said "alerted" (long fault run, sixth session).
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            won = await db.Tips
                .Where(t => t.Id == tip.Id && t.AcceptedAt == null && t.Status == TipStatus.Assigned)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.AcceptedAt, now)
                    .SetProperty(t => t.AcceptedByOfficerId, officer.Id)
                    .SetProperty(t => t.Status, TipStatus.Accepted), ct) == 1;
            if (won)
            {
                assignment.AcceptedAt = now;
                assignment.Status = AssignmentStatus.Accepted;
                db.TipEvents.Add(new TipEventRecord { TipId = tip.Id, Kind = "acknowledged", At = now, Detail = officer.Id });
                await db.SaveChangesAsync(ct);
            }
            await transaction.CommitAsync(ct);
        }
        if (!won && tip.AcceptedByOfficerId != officer.Id)
        {
            await notifier.SendAsync($"lost:{tip.Id:N}:{officer.Id}", command.Officer, Texts.Format(culture, "AcceptedByOther", tip.Code), ct);
            return;
        }

        // Reached on the winning accept and on its replays: the keys make each notice one message.
        var unitName = units.FindUnit(assignment.UnitCode)?.Name ?? "";
        await notifier.SendAsync($"accepted-officer:{assignment.Id:N}", command.Officer,
            AlertOfficerJob.Actions(Texts.Format(culture, "AcceptedOfficer", tip.Code), assignment.Id), ct);
        if (personal.UnprotectOrNull(tip.ReporterChatId) is { } reporter)
            await notifier.SendAsync($"accepted-reporter:{tip.Id:N}", new ChatAddress(tip.ReporterChannel, reporter),
                Texts.Format(tip.Culture, "AcceptedResident", tip.Code, unitName), ct);
    }
}
