using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace TipBot.Server.AdminConsole.Accounts;

/// <summary>
/// Any signed-in account changes its own password. This session carries on under the new one; the
/// account's other sessions end at their next request (<see cref="ConsoleAccounts.ValidatePrincipalAsync"/>).
/// </summary>
public sealed class ChangePasswordModel(ConsoleAccounts accounts) : PageModel
{
    [BindProperty] public string? CurrentPassword { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty] public string? RepeatPassword { get; set; }
    public string? Error { get; private set; }
    public bool Changed { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!Guid.TryParse(User.FindFirstValue(ClaimTypes.NameIdentifier), out var id)) return Forbid();
        var (error, account) = await accounts.ChangePasswordAsync(id, CurrentPassword ?? "", NewPassword ?? "", RepeatPassword ?? "", ct);
        if (error is not null)
        {
            Error = error;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await HttpContext.SignInAsync(ConsoleAccounts.PrincipalOf(account!));
        Changed = true;
        return Page();
    }
}
