using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TipBot.Channels;
using TipBot.Core.Classification;
using TipBot.Core.Directory;
using TipBot.Core.Messaging;
using TipBot.Dialogs.Engine;
using TipBot.Dialogs.Resources;
using TipBot.Server.Directory;
using TipBot.Server.Outbox;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tips;

/// <summary>
/// Sends an assignment's alert to its officer, with the tip and its buttons, never the tipster's
/// identity (only a phone number the tipster chose to share). The assignment is claimed before
/// the send and marked right after, so a retried job alerts nobody twice. Sending it starts the
/// acknowledgement clock: the mark sets when it runs out (<see cref="EscalationClock"/>).
/// </summary>
public sealed class AlertOfficerJob(
    TipBotDbContext db,
    DirectoryCache directory,
    ChannelDispatcher dispatcher,
    PersonalData personal,
    MarkWriter marks,
    IBackgroundJobClient jobs,
    IOptions<RoutingOptions> routing,
    TimeProvider clock,
    ILogger<AlertOfficerJob> log)
{
    // Officers read alerts in the service's language, not the tipster's.
    private const string Culture = "vi";

    // What the mark of a sent alert sets.
    private static readonly string[] AlertSent = [nameof(AssignmentRecord.AlertSentAt), nameof(AssignmentRecord.EscalateAt)];

    public async Task RunAsync(Guid assignmentId, CancellationToken ct)
    {
        if (!await ClaimAsync(assignmentId, ct)) return;
        var assignment = await db.Assignments.AsNoTracking().FirstAsync(a => a.Id == assignmentId, ct);
        var tip = await db.Tips.AsNoTracking().FirstAsync(t => t.Id == assignment.TipId, ct);
        await SendAsync(assignment, tip, ct);
    }

    /// <summary>
    /// Right after routing, in process: the router holds both records, and when it wrote the
    /// assignment <paramref name="claimed"/> for this send, nothing needs reading or claiming first.
    /// </summary>
    public async Task RunAsync(AssignmentRecord assignment, TipRecord tip, bool claimed, CancellationToken ct)
    {
        if (claimed || await ClaimAsync(assignment.Id, ct)) await SendAsync(assignment, tip, ct);
    }

    private async Task<bool> ClaimAsync(Guid assignmentId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var staleClaim = now - SendOutboundJob.ClaimTimeout;
        return await db.Assignments
            .Where(a => a.Id == assignmentId && a.AlertSentAt == null && a.Status == AssignmentStatus.Alerted
                && (a.AlertClaimedAt == null || a.AlertClaimedAt < staleClaim))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.AlertClaimedAt, now), ct) == 1;
    }

    private async Task SendAsync(AssignmentRecord assignment, TipRecord tip, CancellationToken ct)
    {
        var assignmentId = assignment.Id;
        var units = await directory.GetAsync(ct);
        var officer = units.Officers.FirstOrDefault(o => o.Id == assignment.OfficerId)
            ?? throw new InvalidOperationException($"Officer {assignment.OfficerId} is no longer in the directory");

        try
        {
            await dispatcher.SendAsync(new ChatAddress(officer.Channel, officer.ChatId), Alert(tip, assignment, units, personal.UnprotectOrNull(tip.ContactPhone)), ct);
        }
        catch (Exception e)
        {
            await db.Assignments.Where(a => a.Id == assignmentId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.AlertClaimedAt, (DateTime?)null), CancellationToken.None);
            if (Deferral.Of(e) is not { } wait) throw; // Hangfire retries later
            jobs.Schedule<AlertOfficerJob>(j => j.RunAsync(assignmentId, CancellationToken.None), wait);
            return;
        }
        var sentAt = clock.GetUtcNow().UtcDateTime;
        var escalateAt = sentAt + routing.Value.AckTimeoutFor(tip.Urgent);
        // The mark and its event in one write, all or nothing: a marked alert always has its "alerted" event.
        await AfterSend.RecordAsync(() => marks.WriteAsync(changes => changes
            .Update(new AssignmentRecord { Id = assignmentId, OfficerId = assignment.OfficerId, UnitCode = assignment.UnitCode, Reason = assignment.Reason, AlertSentAt = sentAt, EscalateAt = escalateAt }, AlertSent)
            .Insert(new TipEventRecord { TipId = tip.Id, Kind = "alerted", At = sentAt, Detail = officer.Id })), log, "an officer alert");
        log.LogInformation("Alert for tip {TipId} sent to officer {OfficerId}", tip.Id, officer.Id);
    }

    public static Reply Alert(TipRecord tip, AssignmentRecord assignment, UnitDirectory units, string? contactPhone)
    {
        var place = units.FindUnit(tip.UnitCode)?.Name
            ?? Texts.Format(Culture, "OfficerAlertUnknownPlace", tip.PlaceText ?? Texts.Get(Culture, "NotKnown"));
        var reporter = tip.Anonymous || contactPhone is null
            ? Texts.Get(Culture, "ReporterAnonymous")
            : Texts.Format(Culture, "ReporterPhone", contactPhone);
        var text = Texts.Format(Culture, "OfficerAlert",
            tip.Code,
            tip.Urgent ? Texts.Get(Culture, "OfficerAlertUrgent") : "",
            Categories.Get(tip.Category).Name(Culture),
            place,
            tip.TimeText ?? Texts.Get(Culture, "NotKnown"),
            tip.Description,
            reporter);
        if (assignment.Step > 0 && assignment.Reason != "Reassigned") text = Texts.Get(Culture, "AlertEscalated") + text;
        return new Reply(text,
        [
            new Button(Texts.Get(Culture, "AlertAccept"), Payloads.For(Payloads.AcceptPrefix, assignment.Id)),
            new Button(Texts.Get(Culture, "AlertDecline"), Payloads.For(Payloads.AreaPrefix, assignment.Id)),
        ]);
    }

    /// <summary>The buttons an officer has once the tip is theirs.</summary>
    public static Reply Actions(string text, Guid assignmentId) => new(text,
    [
        new Button(Texts.Get(Culture, "AlertAskMore"), Payloads.For(Payloads.AskPrefix, assignmentId)),
        new Button(Texts.Get(Culture, "AlertResolve"), Payloads.For(Payloads.ResolvePrefix, assignmentId)),
        new Button(Texts.Get(Culture, "AlertDecline"), Payloads.For(Payloads.AreaPrefix, assignmentId)),
        new Button(Texts.Get(Culture, "AlertDuplicate"), Payloads.For(Payloads.DuplicatePrefix, assignmentId)),
    ]);
}
