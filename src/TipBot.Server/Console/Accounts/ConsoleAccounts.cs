using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using TipBot.Server.Persistence;

namespace TipBot.Server.AdminConsole.Accounts;

public enum SignInOutcome { SignedIn, WrongCredentials, LockedOut }

public sealed record NewAccount(string UserName, string Password, string Role, IReadOnlyList<string> UnitCodes, string? OfficerId);

/// <summary>
/// Console accounts: creation, password checks with lockout, and the claims a signed-in account
/// carries. Passwords are hashed with ASP.NET Core's PasswordHasher (PBKDF2, salted).
/// </summary>
public sealed class ConsoleAccounts(TipBotDbContext db, TimeProvider clock)
{
    public const int MaxFailedAttempts = 5;
    public const int MinPasswordLength = 10;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
    private static readonly PasswordHasher<ConsoleAccountRecord> Hasher = new();
    // Verified against when the user name is unknown, so a wrong name costs as long as a wrong password.
    private static readonly string DecoyHash = Hasher.HashPassword(null!, Guid.NewGuid().ToString());

    /// <summary>Null when created; else what is wrong (a resource key of ConsoleStrings).</summary>
    public async Task<string?> CreateAsync(NewAccount account, CancellationToken ct)
    {
        var name = NormalizeName(account.UserName);
        if (name.Length is < 3 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')) return "ErrorUserName";
        if (account.Password.Length < MinPasswordLength) return "ErrorPasswordShort";
        if (!ConsoleRole.All.Contains(account.Role)) return "ErrorRole";
        var units = account.UnitCodes.Select(c => c.Trim()).Where(c => c.Length > 0).Distinct().ToList();
        string? officerId = string.IsNullOrWhiteSpace(account.OfficerId) ? null : account.OfficerId.Trim();
        if (account.Role == ConsoleRole.Officer)
        {
            var officer = officerId is null ? null : await db.Officers.AsNoTracking().FirstOrDefaultAsync(o => o.Id == officerId, ct);
            if (officer is null) return "ErrorOfficer";
            if (!units.Contains(officer.UnitCode)) units.Insert(0, officer.UnitCode);
        }
        if (units.Count > 0 && await db.Units.CountAsync(u => units.Contains(u.Code), ct) != units.Count) return "ErrorUnits";
        if (await db.ConsoleAccounts.AnyAsync(a => a.UserName == name, ct)) return "ErrorUserExists";

        var record = new ConsoleAccountRecord
        {
            Id = Guid.NewGuid(),
            UserName = name,
            PasswordHash = "",
            Role = account.Role,
            UnitCodes = account.Role == ConsoleRole.Admin ? "" : string.Join('|', units),
            OfficerId = account.Role == ConsoleRole.Officer ? officerId : null,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        record.PasswordHash = Hasher.HashPassword(record, account.Password);
        db.ConsoleAccounts.Add(record);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return "ErrorUserExists"; // created by someone else in the meantime
        }
        return null;
    }

    /// <summary>
    /// Checks a password. Five wrong ones lock the account for 15 minutes, during which even the
    /// right password is refused (and not checked, so guessing during the lockout learns nothing).
    /// </summary>
    public async Task<(SignInOutcome Outcome, ConsoleAccountRecord? Account)> CheckPasswordAsync(string userName, string password, CancellationToken ct)
    {
        var name = NormalizeName(userName);
        var account = await db.ConsoleAccounts.FirstOrDefaultAsync(a => a.UserName == name, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (account is null)
        {
            Hasher.VerifyHashedPassword(null!, DecoyHash, password);
            return (SignInOutcome.WrongCredentials, null);
        }
        if (account.LockoutUntil > now) return (SignInOutcome.LockedOut, null);

        var verified = Hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (verified == PasswordVerificationResult.Failed)
        {
            // Counted in the database, so attempts spread over several nodes add up.
            await db.ConsoleAccounts.Where(a => a.Id == account.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.FailedAttempts, a => a.FailedAttempts + 1), ct);
            var locked = await db.ConsoleAccounts.Where(a => a.Id == account.Id && a.FailedAttempts >= MaxFailedAttempts)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.LockoutUntil, now + LockoutDuration).SetProperty(a => a.FailedAttempts, 0), ct) == 1;
            return (locked ? SignInOutcome.LockedOut : SignInOutcome.WrongCredentials, null);
        }
        if (verified == PasswordVerificationResult.SuccessRehashNeeded) account.PasswordHash = Hasher.HashPassword(account, password);
        account.FailedAttempts = 0;
        account.LockoutUntil = null;
        account.LastSignInAt = now;
        await db.SaveChangesAsync(ct);
        return (SignInOutcome.SignedIn, account);
    }

    public static ClaimsPrincipal PrincipalOf(ConsoleAccountRecord account) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, account.Id.ToString()),
        new Claim(ClaimTypes.Name, account.UserName),
        new Claim(ClaimTypes.Role, account.Role),
        new Claim(ConsoleUser.UnitsClaim, account.UnitCodes),
        new Claim(ConsoleUser.OfficerClaim, account.OfficerId ?? ""),
    ], CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>
    /// Every request re-reads the account: one deleted, locked or given another role stops working
    /// at once, not when its cookie expires.
    /// </summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var user = context.Principal;
        if (user is null || !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)) { context.RejectPrincipal(); return; }
        var db = context.HttpContext.RequestServices.GetRequiredService<TipBotDbContext>();
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var account = await db.ConsoleAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, context.HttpContext.RequestAborted);
        if (account is null || account.LockoutUntil > now || account.Role != user.FindFirstValue(ClaimTypes.Role)
            || account.UnitCodes != user.FindFirstValue(ConsoleUser.UnitsClaim) || (account.OfficerId ?? "") != user.FindFirstValue(ConsoleUser.OfficerClaim))
            context.RejectPrincipal();
    }

    private static string NormalizeName(string? name) => (name ?? "").Trim().ToLowerInvariant();
}
