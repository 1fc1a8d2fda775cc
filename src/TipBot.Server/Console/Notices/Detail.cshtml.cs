using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TipBot.Server.Notices;
using TipBot.Server.Persistence;

namespace TipBot.Server.AdminConsole.Notices;

/// <summary>A notice and its progress; the page polls <see cref="OnGetProgressAsync"/> (the admin API's status, as JSON) every second.</summary>
[Authorize(Policy = ConsolePolicy.Admin)]
public sealed class NoticeDetailModel(TipBotDbContext db, NoticeBroadcasts notices) : PageModel
{
    public NoticeRecord Notice { get; private set; } = null!;
    public NoticeProgress Progress { get; private set; } = null!;
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary>Cancels a scheduled notice; one that started meanwhile is said so, not silently kept.</summary>
    public async Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken ct)
    {
        var outcome = await notices.CancelAsync(id, ct);
        if (outcome == CancelOutcome.NotFound) return NotFound();
        if (outcome == CancelOutcome.Cancelled) return Redirect($"/console/notices/{id}");
        await LoadAsync(id, ct);
        Error = ConsoleText.Text("NoticeAlreadyStarted");
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var notice = await db.Notices.AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, ct);
        if (notice is null) return false;
        Notice = notice;
        Progress = (await notices.ProgressAsync(id, ct))!;
        return true;
    }

    public async Task<IActionResult> OnGetProgressAsync(Guid id, CancellationToken ct) =>
        await notices.ProgressAsync(id, ct) is { } progress ? new JsonResult(progress) : NotFound();

    public static int Percent(NoticeProgress p) =>
        p.Status == NoticeStatus.Done ? 100 : p.Total == 0 ? 0 : (int)Math.Floor(100.0 * (p.Sent + p.Failed + p.Skipped) / p.Total);
}
