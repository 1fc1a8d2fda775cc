using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace TipBot.Server.AdminConsole.Accounts;

/// <summary>Signing out is a POST (with the antiforgery token), so no link on another site can do it.</summary>
public sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => Redirect("/console");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync();
        return Redirect(ConsoleServiceExtensions.SignInPath);
    }
}
