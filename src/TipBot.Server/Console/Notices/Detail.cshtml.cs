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

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var notice = await db.Notices.AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, ct);
        if (notice is null) return NotFound();
        Notice = notice;
        Progress = (await notices.ProgressAsync(id, ct))!;
        return Page();
    }

    public async Task<IActionResult> OnGetProgressAsync(Guid id, CancellationToken ct) =>
        await notices.ProgressAsync(id, ct) is { } progress ? new JsonResult(progress) : NotFound();

    public static int Percent(NoticeProgress p) =>
        p.Status == NoticeStatus.Done ? 100 : p.Total == 0 ? 0 : (int)Math.Floor(100.0 * (p.Sent + p.Failed + p.Skipped) / p.Total);
}
