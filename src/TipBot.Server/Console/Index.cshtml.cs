using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace TipBot.Server.AdminConsole;

public sealed class HomeModel : PageModel
{
    public IActionResult OnGet() => Redirect("/console/tips");
}
