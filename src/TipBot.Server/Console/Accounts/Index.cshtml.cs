using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TipBot.Server.Persistence;

namespace TipBot.Server.AdminConsole.Accounts;

[Authorize(Policy = ConsolePolicy.Admin)]
public sealed class AccountsModel(TipBotDbContext db, ConsoleAccounts accounts) : PageModel
{
    public List<ConsoleAccountRecord> Accounts { get; private set; } = [];
    public string? Message { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(string? userName, string? password, string? role, string? officerId, string? unitCodes, CancellationToken ct)
    {
        var units = (unitCodes ?? "").Split([' ', ',', '|', ';'], StringSplitOptions.RemoveEmptyEntries);
        Error = await accounts.CreateAsync(new NewAccount(userName ?? "", password ?? "", role ?? "", units, officerId), ct);
        if (Error is null) Message = ConsoleText.Text("AccountCreated", userName?.Trim().ToLowerInvariant());
        else Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>Ends a lockout before its 15 minutes are up (the admin has checked who was guessing).</summary>
    public async Task<IActionResult> OnPostUnlockAsync(Guid accountId, CancellationToken ct)
    {
        await db.ConsoleAccounts.Where(a => a.Id == accountId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.LockoutUntil, (DateTime?)null).SetProperty(a => a.FailedAttempts, 0), ct);
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>Removes an account; its open sessions end at their next request (the cookie is re-checked every time).</summary>
    public async Task<IActionResult> OnPostRemoveAsync(Guid accountId, CancellationToken ct)
    {
        if (User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value == accountId.ToString())
        {
            Error = "ErrorRemoveSelf";
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else await db.ConsoleAccounts.Where(a => a.Id == accountId).ExecuteDeleteAsync(ct);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Accounts = await db.ConsoleAccounts.AsNoTracking().OrderBy(a => a.UserName).ToListAsync(ct);
}
