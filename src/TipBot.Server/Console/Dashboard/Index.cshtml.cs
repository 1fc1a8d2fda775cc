using Microsoft.AspNetCore.Mvc.RazorPages;
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
        Stats = await DashboardStats.LoadAsync(db, User, clock.GetUtcNow().UtcDateTime, Days, ct);
        Directory = await directory.GetAsync(ct);
    }

    public string UnitName(string code) => Directory.FindUnit(code)?.Name ?? code;
}
