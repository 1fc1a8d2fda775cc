using Hangfire;
using Microsoft.EntityFrameworkCore;
using TipBot.Core.Messaging;
using TipBot.Core.Routing;
using TipBot.Dialogs.Engine;
using TipBot.Dialogs.Resources;
using TipBot.Server.Directory;
using TipBot.Server.Persistence;
using TipBot.Server.Tips;

namespace TipBot.Server.Officers;

/// <summary>
/// What an officer does with a tip after the alert: ask the tipster (relayed anonymously), resolve,
/// pass to another unit, mark as a duplicate. Each checks that the chat is the officer the tip is
/// with, records an event, and tells the people concerned through keyed outbox messages.
/// </summary>
public sealed class OfficerActionHandler(
    TipBotDbContext db,
    DirectoryCache directory,
    DutyRosterCache duty,
    RoutingSituationLoader situations,
    Notifier notifier,
    PersonalData personal,
    IBackgroundJobClient jobs,
    TimeProvider clock)
{
    private sealed record Context(AssignmentRecord Assignment, TipRecord Tip, Core.Directory.Officer Officer, Core.Directory.UnitDirectory Units);

    public async Task AskReporterAsync(AskReporter command, CancellationToken ct)
    {
        if (await HandlingAsync(command.AssignmentId, command.Officer, command.Culture, needsAccepted: true, ct) is not { } c) return;
        await EventAsync(c.Tip.Id, "info_requested", c.Officer.Id, ct);
        if (Reporter(c.Tip) is not { } reporter) return; // the tipster's data was deleted
        await notifier.SendAsync($"ask:{command.RequestId:N}", reporter,
            new Reply(Texts.Format(c.Tip.Culture, "QuestionToReporter", c.Tip.Code, command.Question),
                [new Button(Texts.Get(c.Tip.Culture, "AnswerButton"), Payloads.For(Payloads.AnswerPrefix, c.Tip.Id))]), ct);
        await notifier.SendAsync($"ask-done:{command.RequestId:N}", command.Officer, Texts.Format(command.Culture, "QuestionRelayed", c.Tip.Code), ct);
    }

    public async Task AnswerOfficerAsync(AnswerOfficer command, CancellationToken ct)
    {
        var tip = await db.Tips.AsNoTracking().FirstOrDefaultAsync(t => t.Id == command.TipId, ct);
        if (tip is null || tip.ReporterKey != personal.ChatKey(command.Reporter.Channel, command.Reporter.ChatId))
        {
            await notifier.SendAsync($"answer-refused:{command.RequestId:N}", command.Reporter, Texts.Get(command.Culture, "NotUnderstood"), ct);
            return;
        }
        var current = await db.Assignments.AsNoTracking().Where(a => a.TipId == tip.Id).OrderByDescending(a => a.Step).FirstOrDefaultAsync(ct);
        var officer = current is null ? null : (await directory.GetAsync(ct)).Officers.FirstOrDefault(o => o.Id == current.OfficerId);
        await EventAsync(tip.Id, "info_received", null, ct);
        if (officer is not null)
            await notifier.SendAsync($"answer:{command.RequestId:N}", new ChatAddress(officer.Channel, officer.ChatId),
                AlertOfficerJob.Actions(Texts.Format("vi", command.Addition ? "InfoAddedToOfficer" : "AnswerToOfficer", tip.Code, command.Answer), current!.Id), ct);
        await notifier.SendAsync($"answer-done:{command.RequestId:N}", command.Reporter, Texts.Get(command.Culture, "AnswerRelayed"), ct);
    }

    public async Task ResolveAsync(ResolveTip command, CancellationToken ct)
    {
        if (await HandlingAsync(command.AssignmentId, command.Officer, command.Culture, needsAccepted: true, ct) is not { } c) return;
        var now = clock.GetUtcNow().UtcDateTime;
        var closed = await db.Tips.Where(t => t.Id == c.Tip.Id && t.Status == TipStatus.Accepted)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TipStatus.Resolved).SetProperty(t => t.ResolvedAt, now).SetProperty(t => t.Outcome, command.Outcome), ct);
        if (closed == 1) await EventAsync(c.Tip.Id, "resolved", $"{c.Officer.Id} {command.Outcome}", ct);
        await notifier.SendAsync($"resolved-officer:{c.Tip.Id:N}", command.Officer,
            Texts.Format(command.Culture, "ResolvedOfficer", c.Tip.Code, Texts.Get(command.Culture, "Outcome_" + command.Outcome)), ct);
        if (Reporter(c.Tip) is { } reporter)
            await notifier.SendAsync($"resolved-reporter:{c.Tip.Id:N}", reporter, Texts.Format(c.Tip.Culture, "ResolvedReporter", c.Tip.Code), ct);
    }

    public async Task MarkDuplicateAsync(MarkDuplicate command, CancellationToken ct)
    {
        if (await HandlingAsync(command.AssignmentId, command.Officer, command.Culture, needsAccepted: false, ct) is not { } c) return;
        var original = await db.Tips.AsNoTracking().FirstOrDefaultAsync(t => t.Code == command.OriginalCode && t.Id != c.Tip.Id, ct);
        if (original is null)
        {
            await notifier.SendAsync($"dup-missing:{c.Assignment.Id:N}:{command.OriginalCode}", command.Officer, Texts.Format(command.Culture, "DuplicateNotFound", command.OriginalCode), ct);
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var marked = await db.Tips.Where(t => t.Id == c.Tip.Id && (t.Status == TipStatus.Assigned || t.Status == TipStatus.Accepted))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TipStatus.Duplicate).SetProperty(t => t.DuplicateOfTipId, original.Id).SetProperty(t => t.ResolvedAt, now), ct);
        if (marked == 1) await EventAsync(c.Tip.Id, "duplicate", $"{c.Officer.Id} {original.Code}", ct);
        await notifier.SendAsync($"dup-officer:{c.Tip.Id:N}", command.Officer, Texts.Format(command.Culture, "DuplicateOfficer", c.Tip.Code, original.Code), ct);
        if (Reporter(c.Tip) is { } reporter)
            await notifier.SendAsync($"dup-reporter:{c.Tip.Id:N}", reporter, Texts.Format(c.Tip.Culture, "DuplicateReporter", c.Tip.Code), ct);
    }

    /// <summary>"Not my area" (or the duty desk's triage): the tip goes to the named unit as its next step.</summary>
    public async Task ReassignAsync(ReassignTip command, CancellationToken ct)
    {
        if (await HandlingAsync(command.AssignmentId, command.Officer, command.Culture, needsAccepted: false, ct) is not { } c) return;
        var unit = c.Units.FindUnit(command.UnitCode);
        if (unit is null) return;
        var declined = await db.Assignments
            .Where(a => a.Id == c.Assignment.Id && (a.Status == AssignmentStatus.Alerted || a.Status == AssignmentStatus.Accepted))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AssignmentStatus.Declined), ct);
        if (declined == 1)
        {
            await db.Tips.Where(t => t.Id == c.Tip.Id).ExecuteUpdateAsync(s => s
                .SetProperty(t => t.UnitCode, unit.Code)
                .SetProperty(t => t.Status, TipStatus.Assigned)
                .SetProperty(t => t.AcceptedAt, (DateTime?)null)
                .SetProperty(t => t.AcceptedByOfficerId, (string?)null), ct);
            await EventAsync(c.Tip.Id, "rejected", $"{c.Officer.Id} -> {unit.Code}", ct);
            var decision = RoutingPolicy.Choose(await situations.LoadAsync(unit.Code, ct), unit.Code)
                ?? throw new InvalidOperationException("The directory has no province duty desk to route to");
            var next = await RouteTipJob.AssignAsync(db, c.Tip.Id, c.Assignment.Step + 1, decision, clock, ct, reason: "Reassigned");
            jobs.Enqueue<AlertOfficerJob>(j => j.RunAsync(next.Id, CancellationToken.None));
        }
        await notifier.SendAsync($"reassigned:{c.Assignment.Id:N}", command.Officer, Texts.Format(command.Culture, "ReassignedOfficer", c.Tip.Code, unit.Name), ct);
    }

    public async Task SetOnDutyAsync(SetOnDuty command, CancellationToken ct)
    {
        var officer = (await directory.GetAsync(ct)).FindOfficerByChat(command.Officer.Channel, command.Officer.ChatId);
        if (officer is null) return;
        await db.Officers.Where(o => o.Id == officer.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.OnDuty, command.OnDuty), ct);
        duty.Invalidate();
    }

    /// <summary>The tip this assignment belongs to, if this chat is the officer it is with now; else tells them why not.</summary>
    private async Task<Context?> HandlingAsync(Guid assignmentId, ChatAddress chat, string culture, bool needsAccepted, CancellationToken ct)
    {
        var units = await directory.GetAsync(ct);
        var officer = units.FindOfficerByChat(chat.Channel, chat.ChatId);
        var assignment = await db.Assignments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == assignmentId, ct);
        if (officer is null || assignment is null || assignment.OfficerId != officer.Id)
        {
            await notifier.SendAsync($"refused:{assignmentId:N}:{chat}", chat, Texts.Get(culture, "AcceptNotYours"), ct);
            return null;
        }
        var tip = await db.Tips.AsNoTracking().FirstAsync(t => t.Id == assignment.TipId, ct);
        if (tip.Status is TipStatus.Resolved or TipStatus.Duplicate)
        {
            await notifier.SendAsync($"closed:{assignmentId:N}:{clock.GetUtcNow().UtcDateTime:yyyyMMddHHmm}", chat, Texts.Format(culture, "TipClosed", tip.Code), ct);
            return null;
        }
        var current = needsAccepted
            ? assignment.Status == AssignmentStatus.Accepted && tip.AcceptedByOfficerId == officer.Id
            : assignment.Status is AssignmentStatus.Alerted or AssignmentStatus.Accepted;
        if (!current)
        {
            await notifier.SendAsync($"not-current:{assignmentId:N}:{tip.Status}", chat, Texts.Format(culture, "AlertMoved", tip.Code), ct);
            return null;
        }
        return new Context(assignment, tip, officer, units);
    }

    private ChatAddress? Reporter(TipRecord tip) =>
        personal.UnprotectOrNull(tip.ReporterChatId) is { } chat ? new ChatAddress(tip.ReporterChannel, chat) : null;

    private async Task EventAsync(Guid tipId, string kind, string? detail, CancellationToken ct)
    {
        db.TipEvents.Add(new TipEventRecord { TipId = tipId, Kind = kind, At = clock.GetUtcNow().UtcDateTime, Detail = detail });
        await db.SaveChangesAsync(ct);
    }
}
