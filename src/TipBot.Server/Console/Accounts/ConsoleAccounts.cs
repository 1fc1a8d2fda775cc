using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
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
public sealed class ConsoleAccounts(TipBotDbContext db, TimeProvider clock, ILogger<ConsoleAccounts> log)
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
    /// The caller answers every refusal alike; the lockout is told to the log, not to the guesser.
    /// </summary>
    public async Task<(SignInOutcome Outcome, ConsoleAccountRecord? Account)> CheckPasswordAsync(string userName, string password, CancellationToken ct)
    {
        var name = NormalizeName(userName);
        var account = await db.ConsoleAccounts.FirstOrDefaultAsync(a => a.UserName == name, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (account is null || account.LockoutUntil > now)
        {
            // A hash computed all the same: a quick answer would tell an unknown or locked name from a wrong password.
            Hasher.VerifyHashedPassword(null!, DecoyHash, password);
            if (account is not null) log.LogWarning("Console sign-in to {UserName} refused: locked until {LockoutUntil:u}", account.UserName, account.LockoutUntil);
            return (account is null ? SignInOutcome.WrongCredentials : SignInOutcome.LockedOut, null);
        }

        var verified = Hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (verified == PasswordVerificationResult.Failed)
            return (await CountFailureAsync(account, now, ct) ? SignInOutcome.LockedOut : SignInOutcome.WrongCredentials, null);
        if (verified == PasswordVerificationResult.SuccessRehashNeeded) account.PasswordHash = Hasher.HashPassword(account, password);
        account.FailedAttempts = 0;
        account.LockoutUntil = null;
        account.LastSignInAt = now;
        await db.SaveChangesAsync(ct);
        return (SignInOutcome.SignedIn, account);
    }

    /// <summary>
    /// Counts a wrong password in the database, so attempts spread over several nodes add up; true
    /// when it is the one that locks the account.
    /// </summary>
    private async Task<bool> CountFailureAsync(ConsoleAccountRecord account, DateTime now, CancellationToken ct)
    {
        await db.ConsoleAccounts.Where(a => a.Id == account.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.FailedAttempts, a => a.FailedAttempts + 1), ct);
        var locked = await db.ConsoleAccounts.Where(a => a.Id == account.Id && a.FailedAttempts >= MaxFailedAttempts)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.LockoutUntil, now + LockoutDuration).SetProperty(a => a.FailedAttempts, 0), ct) == 1;
        if (locked) log.LogWarning("Console account {UserName} locked for {Minutes} minutes after {Attempts} wrong passwords",
            account.UserName, LockoutDuration.TotalMinutes, MaxFailedAttempts);
        return locked;
    }

    /// <summary>
    /// Changes the signed-in account's own password. Null when changed (with the updated account, to
    /// sign in again), else what is wrong (a resource key of ConsoleStrings). A wrong current password
    /// counts towards the lockout like a wrong sign-in, so a session left open cannot be used to guess it.
    /// </summary>
    public async Task<(string? Error, ConsoleAccountRecord? Account)> ChangePasswordAsync(Guid accountId, string current, string password, string repeated, CancellationToken ct)
    {
        if (password != repeated) return ("ErrorPasswordMismatch", null);
        if (password.Length < MinPasswordLength) return ("ErrorPasswordShort", null);
        var account = await db.ConsoleAccounts.FirstOrDefaultAsync(a => a.Id == accountId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (account is null || account.LockoutUntil > now) return ("ErrorCurrentPassword", null);
        if (Hasher.VerifyHashedPassword(account, account.PasswordHash, current) == PasswordVerificationResult.Failed)
        {
            await CountFailureAsync(account, now, ct);
            return ("ErrorCurrentPassword", null);
        }
        account.PasswordHash = Hasher.HashPassword(account, password);
        account.FailedAttempts = 0;
        await db.SaveChangesAsync(ct);
        log.LogInformation("Console account {UserName} changed its password", account.UserName);
        return (null, account);
    }

    public static ClaimsPrincipal PrincipalOf(ConsoleAccountRecord account) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, account.Id.ToString()),
        new Claim(ClaimTypes.Name, account.UserName),
        new Claim(ClaimTypes.Role, account.Role),
        new Claim(ConsoleUser.UnitsClaim, account.UnitCodes),
        new Claim(ConsoleUser.OfficerClaim, account.OfficerId ?? ""),
        new Claim(ConsoleUser.PasswordClaim, PasswordStamp(account.PasswordHash)),
    ], CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>
    /// Which password a session was opened with: a digest of the salted hash, which changes with every
    /// new password (and when a sign-in upgrades an old hash). The cookie is encrypted, but the hash
    /// itself still has no business in it.
    /// </summary>
    private static string PasswordStamp(string passwordHash) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(passwordHash)).AsSpan(0, 12));

    /// <summary>
    /// Every request re-reads the account: one deleted, locked, given another role or a new password
    /// stops working at once, not when its cookie expires.
    /// </summary>
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var user = context.Principal;
        if (user is null || !Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)) { context.RejectPrincipal(); return; }
        var db = context.HttpContext.RequestServices.GetRequiredService<TipBotDbContext>();
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var account = await db.ConsoleAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, context.HttpContext.RequestAborted);
        if (account is null || account.LockoutUntil > now || account.Role != user.FindFirstValue(ClaimTypes.Role)
            || account.UnitCodes != user.FindFirstValue(ConsoleUser.UnitsClaim) || (account.OfficerId ?? "") != user.FindFirstValue(ConsoleUser.OfficerClaim)
            || PasswordStamp(account.PasswordHash) != user.FindFirstValue(ConsoleUser.PasswordClaim))
            context.RejectPrincipal();
    }

    private static string NormalizeName(string? name) => (name ?? "").Trim().ToLowerInvariant();
}
