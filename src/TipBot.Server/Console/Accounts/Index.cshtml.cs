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

    private async Task LoadAsync(CancellationToken ct) =>
        Accounts = await db.ConsoleAccounts.AsNoTracking().OrderBy(a => a.UserName).ToListAsync(ct);
}
