using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TipBot.Core.Directory;
using TipBot.Server.AdminConsole.Tips;
using TipBot.Server.Directory;
using TipBot.Server.Persistence;

namespace TipBot.Server.AdminConsole.Dashboard;

/// <summary>The last 30 days of the tips the account may see (the same <see cref="TipVisibility"/> as the list).</summary>
public sealed class DashboardModel(TipBotDbContext db, DirectoryCache directory, TimeProvider clock) : PageModel
{
    public const int Days = 30;
    public DashboardStats Stats { get; private set; } = null!;
    public UnitDirectory Directory { get; private set; } = UnitDirectory.Empty;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now.AddDays(-Days);
        var visible = db.Tips.AsNoTracking().VisibleTo(User).Where(t => t.ReceivedAt >= since);
        var tips = await visible
            .Select(t => new DashboardStats.TipTimes(t.ReceivedAt, t.Category, t.AssignedUnitCode ?? t.UnitCode, t.AcceptedAt, t.ResolvedAt))
            .ToListAsync(ct);
        var escalations = await db.TipEvents.CountAsync(e => e.Kind == "escalated" && e.At >= since && visible.Any(t => t.Id == e.TipId), ct);
        Stats = DashboardStats.From(tips, escalations, now, Days);
        Directory = await directory.GetAsync(ct);
    }

    public string UnitName(string code) => Directory.FindUnit(code)?.Name ?? code;
}
