using Microsoft.EntityFrameworkCore;
using TipBot.Channels;
using TipBot.Core.Classification;
using TipBot.Core.Messaging;
using TipBot.Dialogs.Engine;
using TipBot.Dialogs.Resources;
using TipBot.Server.Directory;
using TipBot.Server.Outbox;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tips;

/// <summary>
/// Sends an assignment's alert to its officer, with the tip and an accept button, never the
/// tipster's identity (only a phone number the tipster chose to share). The assignment is claimed
/// before the send and marked right after, so a retried job alerts nobody twice.
/// </summary>
public sealed class AlertOfficerJob(TipBotDbContext db, DirectoryCache directory, ChannelDispatcher dispatcher, TimeProvider clock, ILogger<AlertOfficerJob> log)
{
    public async Task RunAsync(Guid assignmentId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var staleClaim = now - SendOutboundJob.ClaimTimeout;
        var claimed = await db.Assignments
            .Where(a => a.Id == assignmentId && a.AlertSentAt == null && (a.AlertClaimedAt == null || a.AlertClaimedAt < staleClaim))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.AlertClaimedAt, now), ct);
        if (claimed == 0) return;

        var assignment = await db.Assignments.AsNoTracking().FirstAsync(a => a.Id == assignmentId, ct);
        var tip = await db.Tips.AsNoTracking().FirstAsync(t => t.Id == assignment.TipId, ct);
        var units = await directory.GetAsync(ct);
        var officer = units.Officers.FirstOrDefault(o => o.Id == assignment.OfficerId)
            ?? throw new InvalidOperationException($"Officer {assignment.OfficerId} is no longer in the directory");

        try
        {
            await dispatcher.SendAsync(new ChatAddress(officer.Channel, officer.ChatId), Alert(tip, units), ct);
        }
        catch
        {
            await db.Assignments.Where(a => a.Id == assignmentId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.AlertClaimedAt, (DateTime?)null), CancellationToken.None);
            throw; // Hangfire retries later
        }
        var sentAt = clock.GetUtcNow().UtcDateTime;
        await db.Assignments.Where(a => a.Id == assignmentId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.AlertSentAt, sentAt), CancellationToken.None);
        db.TipEvents.Add(new TipEventRecord { TipId = tip.Id, Kind = "alerted", At = sentAt, Detail = officer.Id });
        await db.SaveChangesAsync(CancellationToken.None);
        log.LogInformation("Alert for tip {TipId} sent to officer {OfficerId}", tip.Id, officer.Id);

        Reply Alert(TipRecord t, Core.Directory.UnitDirectory u)
        {
            // Officers read alerts in the service's default language, not the tipster's.
            const string culture = "vi";
            var place = u.FindUnit(t.UnitCode)?.Name
                ?? Texts.Format(culture, "OfficerAlertUnknownPlace", t.PlaceText ?? Texts.Get(culture, "NotKnown"));
            var reporter = t.Anonymous || t.ContactPhone is null
                ? Texts.Get(culture, "ReporterAnonymous")
                : Texts.Format(culture, "ReporterPhone", t.ContactPhone);
            var text = Texts.Format(culture, "OfficerAlert",
                t.Code,
                t.Urgent ? Texts.Get(culture, "OfficerAlertUrgent") : "",
                Categories.Get(t.Category).Name(culture),
                place,
                t.TimeText ?? Texts.Get(culture, "NotKnown"),
                t.Description,
                reporter);
            return new Reply(text, [new Button(Texts.Get(culture, "AlertAccept"), Payloads.AcceptPrefix + assignmentId.ToString("N"))]);
        }
    }
}
