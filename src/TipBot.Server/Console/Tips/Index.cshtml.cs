using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TipBot.Core.Directory;
using TipBot.Server.AdminConsole.Accounts;
using TipBot.Server.Directory;
using TipBot.Server.Persistence;

namespace TipBot.Server.AdminConsole.Tips;

public sealed class TipListModel(TipBotDbContext db, DirectoryCache directory) : PageModel
{
    [BindProperty(SupportsGet = true)] public TipFilter Filter { get; set; } = new();
    public List<TipRecord> Tips { get; private set; } = [];
    public bool HasNextPage { get; private set; }
    /// <summary>The units the account may filter by (its own, or all).</summary>
    public List<Unit> Units { get; private set; } = [];
    public UnitDirectory Directory { get; private set; } = UnitDirectory.Empty;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Filter.Page = Math.Max(1, Filter.Page);
        await LoadUnitsAsync(ct);
        // Offset paging over the (received_at) index, newest first; one extra row says whether there is a next page.
        var rows = await Filter.Apply(db.Tips.AsNoTracking().VisibleTo(User))
            .OrderByDescending(t => t.ReceivedAt).ThenByDescending(t => t.Id)
            .Skip((Filter.Page - 1) * TipFilter.PageSize).Take(TipFilter.PageSize + 1)
            .ToListAsync(ct);
        HasNextPage = rows.Count > TipFilter.PageSize;
        Tips = rows.Take(TipFilter.PageSize).ToList();
    }

    /// <summary>
    /// The filtered list as CSV. No personal data: no contact, no reporter, no free text (a tip's
    /// description may name people), only what the charts are made of.
    /// </summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        var rows = await Filter.Apply(db.Tips.AsNoTracking().VisibleTo(User))
            .OrderByDescending(t => t.ReceivedAt).Take(50_000)
            .Select(t => new { t.Code, t.ReceivedAt, t.Category, t.Urgent, t.UnitCode, t.AssignedUnitCode, t.Status, t.AcceptedAt, t.ResolvedAt, t.Outcome })
            .ToListAsync(ct);
        var csv = new StringBuilder("code,received_at,category,urgent,unit_code,assigned_unit_code,status,accepted_at,resolved_at,outcome\n");
        static string Iso(DateTime? utc) => utc is { } u ? DateTime.SpecifyKind(u, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : "";
        foreach (var t in rows)
            csv.Append(CultureInfo.InvariantCulture, $"{t.Code},{Iso(t.ReceivedAt)},{t.Category},{(t.Urgent ? "true" : "false")},{t.UnitCode},{t.AssignedUnitCode},{t.Status},{Iso(t.AcceptedAt)},{Iso(t.ResolvedAt)},{t.Outcome}\n");
        return File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray(), "text/csv; charset=utf-8", "tips.csv");
    }

    private async Task LoadUnitsAsync(CancellationToken ct)
    {
        Directory = await directory.GetAsync(ct);
        var mine = User.Units();
        Units = Directory.Units.Where(u => mine is null || mine.Contains(u.Code)).OrderBy(u => u.Name, StringComparer.Ordinal).ToList();
    }

    public string UnitName(string? code) => code is null ? "" : Directory.FindUnit(code)?.Name ?? code;
}
