using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TipBot.Core.Directory;
using TipBot.Core.Messaging;
using TipBot.Dialogs.Conversations;
using TipBot.Dialogs.Engine;
using TipBot.Server.AdminConsole.Accounts;
using TipBot.Server.Directory;
using TipBot.Server.Officers;
using TipBot.Server.Persistence;

namespace TipBot.Server.AdminConsole.Tips;

/// <summary>
/// One tip: its facts, history and audit; the officer's actions as in chat. The actions go through
/// the same handlers as the chat buttons, as the officer record the account is linked to, so every
/// rule (first accept wins, only the current officer may act) and every notice stays in one place.
/// </summary>
public sealed class TipDetailModel(TipBotDbContext db, DirectoryCache directory, PersonalData personal, TimeProvider clock) : PageModel
{
    public TipRecord Tip { get; private set; } = null!;
    public List<TipEventRecord> Events { get; private set; } = [];
    public List<IdentityViewRecord> IdentityViews { get; private set; } = [];
    public UnitDirectory Directory { get; private set; } = UnitDirectory.Empty;
    /// <summary>The latest assignment of this tip to the signed-in officer, if any.</summary>
    public AssignmentRecord? MyAssignment { get; private set; }
    public string? RevealedPhone { get; private set; }
    public string? Message { get; private set; }

    public bool ContactShared => !Tip.Anonymous && Tip.ContactPhone is not null;
    public bool CanAccept => MyAssignment is { Status: AssignmentStatus.Alerted or AssignmentStatus.Moved } && Tip.Status == TipStatus.Assigned;
    public bool CanResolve => MyAssignment is { Status: AssignmentStatus.Accepted } && Tip.Status == TipStatus.Accepted && Tip.AcceptedByOfficerId == MyAssignment.OfficerId;
    public bool CanReassign => MyAssignment is { Status: AssignmentStatus.Alerted or AssignmentStatus.Accepted } && Tip.Status is TipStatus.Assigned or TipStatus.Accepted;
    public static IReadOnlyList<string> Outcomes => OfficerConversation.Outcomes;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAcceptAsync(Guid id, [FromServices] AcceptAssignmentHandler accept, CancellationToken ct) =>
        await ActAsync(id, (assignment, officer) => accept.HandleAsync(new AcceptAssignment(assignment.Id, officer, ConsoleText.Culture), ct), ct);

    public async Task<IActionResult> OnPostResolveAsync(Guid id, string? outcome, [FromServices] OfficerActionHandler actions, CancellationToken ct)
    {
        if (outcome is null || !Outcomes.Contains(outcome)) return BadRequest();
        return await ActAsync(id, (assignment, officer) => actions.ResolveAsync(new ResolveTip(assignment.Id, officer, outcome, ConsoleText.Culture), ct), ct);
    }

    /// <summary>"Not my area": the tip goes to the unit the officer names, as from the chat.</summary>
    public async Task<IActionResult> OnPostReassignAsync(Guid id, string? unitCode, [FromServices] OfficerActionHandler actions, CancellationToken ct)
    {
        if ((await directory.GetAsync(ct)).FindUnit(unitCode) is null) return BadRequest();
        return await ActAsync(id, (assignment, officer) => actions.ReassignAsync(new ReassignTip(assignment.Id, officer, unitCode!, ConsoleText.Culture), ct), ct);
    }

    /// <summary>
    /// The tipster's contact, only when they chose to share it, only on this explicit POST, and
    /// every look is written to the audit table shown on the page.
    /// </summary>
    public async Task<IActionResult> OnPostIdentityAsync(Guid id, CancellationToken ct)
    {
        if (!User.CanAct()) return Forbid();
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!ContactShared) { Message = ConsoleText.Text("NoContactShared"); return Page(); }
        db.IdentityViews.Add(new IdentityViewRecord { TipId = Tip.Id, UserName = User.Name(), At = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(ct);
        RevealedPhone = personal.Unprotect(Tip.ContactPhone!);
        await LoadAsync(id, ct);
        return Page();
    }

    private async Task<IActionResult> ActAsync(Guid id, Func<AssignmentRecord, ChatAddress, Task> act, CancellationToken ct)
    {
        if (!User.CanAct()) return Forbid();
        if (!await LoadAsync(id, ct)) return NotFound();
        var officer = User.OfficerId() is { } officerId ? Directory.Officers.FirstOrDefault(o => o.Id == officerId) : null;
        if (officer is null || MyAssignment is null) return Forbid(); // only the officer the tip was given to acts on it
        var before = (Tip.Status, MyAssignment.Status);
        await act(MyAssignment, new ChatAddress(officer.Channel, officer.ChatId));
        // Passed to a unit this account does not see: back to the list.
        if (!await LoadAsync(id, ct)) return Redirect("/console/tips");
        var changed = before != (Tip.Status, MyAssignment?.Status);
        Message = ConsoleText.Text(changed ? "ActionDone" : "ActionNotPossible");
        if (!changed) Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var tip = await db.Tips.AsNoTracking().VisibleTo(User).FirstOrDefaultAsync(t => t.Id == id, ct);
        if (tip is null) return false;
        Tip = tip;
        Directory = await directory.GetAsync(ct);
        Events = await db.TipEvents.AsNoTracking().Where(e => e.TipId == id).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(ct);
        IdentityViews = await db.IdentityViews.AsNoTracking().Where(v => v.TipId == id).OrderByDescending(v => v.At).ToListAsync(ct);
        MyAssignment = User.OfficerId() is { } officerId
            ? await db.Assignments.AsNoTracking().Where(a => a.TipId == id && a.OfficerId == officerId).OrderByDescending(a => a.Step).FirstOrDefaultAsync(ct)
            : null;
        return true;
    }

    public string UnitName(string? code) => code is null ? "" : Directory.FindUnit(code)?.Name ?? code;

    /// <summary>Event details carry officer ids, unit codes and routing reasons; shown as names and words.</summary>
    public string EventDetail(string? detail)
    {
        if (string.IsNullOrEmpty(detail)) return "";
        return string.Join(' ', detail.Split(' ').Select(part =>
            Directory.Officers.FirstOrDefault(o => o.Id == part)?.FullName
            ?? Directory.FindUnit(part)?.Name
            ?? ConsoleText.TextOrNull("Reason_" + part)
            ?? (part == "->" ? "→" : part)));
    }
}
