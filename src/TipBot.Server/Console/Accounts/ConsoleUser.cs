using System.Security.Claims;
using TipBot.Server.Persistence;

namespace TipBot.Server.AdminConsole.Accounts;

/// <summary>What the console needs to know about the signed-in account, read from its claims.</summary>
public static class ConsoleUser
{
    public const string UnitsClaim = "tipbot:units";
    public const string OfficerClaim = "tipbot:officer";
    public const string PasswordClaim = "tipbot:password";

    public static string Name(this ClaimsPrincipal user) => user.Identity?.Name ?? "";

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(ConsoleRole.Admin);

    public static bool CanAct(this ClaimsPrincipal user) => user.IsInRole(ConsoleRole.Admin) || user.IsInRole(ConsoleRole.Officer);

    /// <summary>The units whose tips the account sees; null means every unit (an admin, or a viewer given no units).</summary>
    public static IReadOnlyList<string>? Units(this ClaimsPrincipal user)
    {
        if (user.IsAdmin()) return null;
        var units = (user.FindFirstValue(UnitsClaim) ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries);
        if (units.Length == 0 && user.IsInRole(ConsoleRole.Viewer)) return null;
        return units;
    }

    /// <summary>The officer record an officer account acts as.</summary>
    public static string? OfficerId(this ClaimsPrincipal user) => user.FindFirstValue(OfficerClaim) is { Length: > 0 } id ? id : null;
}
