using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace TipBot.Server.AdminConsole.Accounts;

public sealed class SignInModel(ConsoleAccounts accounts, SignInThrottle throttle) : PageModel
{
    [BindProperty] public string? UserName { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!throttle.TryAttempt(HttpContext))
        {
            Error = "ErrorTooManyAttempts";
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        var (outcome, account) = await accounts.CheckPasswordAsync(UserName ?? "", Password ?? "", ct);
        if (outcome != SignInOutcome.SignedIn)
        {
            // One answer for an unknown name, a wrong password and a locked account: the page must not
            // tell a guesser which names exist. ConsoleAccounts logs the lockout.
            Error = "ErrorSignIn";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }
        await HttpContext.SignInAsync(ConsoleAccounts.PrincipalOf(account!));
        return LocalRedirect(ReturnUrl is { Length: > 0 } r && Url.IsLocalUrl(r) ? r : "/console");
    }
}
