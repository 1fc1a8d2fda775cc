using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TipBot.Server.Officers;
using TipBot.Server.Persistence;

namespace TipBot.Server.AdminConsole.Directory;

[Authorize(Policy = ConsolePolicy.Admin)]
public sealed class DirectoryModel(TipBotDbContext db) : PageModel
{
    public List<UnitRecord> Units { get; private set; } = [];
    public List<OfficerRecord> Officers { get; private set; } = [];
    public (string OfficerId, string Code)? IssuedCode { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>A one-time code the officer types as /link CODE in their chat app (<see cref="LinkCodes"/>).</summary>
    public async Task<IActionResult> OnPostLinkCodeAsync(string officerId, [FromServices] LinkCodes linkCodes, CancellationToken ct)
    {
        if (!await db.Officers.AnyAsync(o => o.Id == officerId, ct)) return NotFound();
        IssuedCode = (officerId, await linkCodes.IssueAsync(officerId, ct));
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Units = await db.Units.AsNoTracking().OrderBy(u => u.Code).ToListAsync(ct);
        Officers = await db.Officers.AsNoTracking().OrderBy(o => o.UnitCode).ThenBy(o => o.Id).ToListAsync(ct);
    }
}
