namespace TipBot.Server.Persistence;

// Rows of the admin web console (src/TipBot.Server/Console).

public static class ConsoleRole
{
    /// <summary>Everything: accounts, directory, broadcasts, every unit's tips, /hangfire.</summary>
    public const string Admin = "admin";
    /// <summary>Acts on the tips of their units (as the officer record the account is linked to).</summary>
    public const string Officer = "officer";
    /// <summary>Reads tips and the dashboard; never acts, never sees a tipster's identity.</summary>
    public const string Viewer = "viewer";

    public static readonly string[] All = [Admin, Officer, Viewer];
}

/// <summary>A person who signs in to the web console.</summary>
public sealed class ConsoleAccountRecord
{
    public Guid Id { get; set; }
    /// <summary>Stored lower-case: sign-in is case-insensitive on every provider.</summary>
    public required string UserName { get; set; }
    /// <summary>ASP.NET Core's PasswordHasher format (PBKDF2 with a per-password salt).</summary>
    public required string PasswordHash { get; set; }
    public required string Role { get; set; }
    /// <summary>'|'-separated unit codes whose tips the account sees; empty for an admin (sees all).</summary>
    public string UnitCodes { get; set; } = "";
    /// <summary>The officer record an officer account acts as (accept, resolve, not my area).</summary>
    public string? OfficerId { get; set; }
    public int FailedAttempts { get; set; }
    public DateTime? LockoutUntil { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastSignInAt { get; set; }
}

/// <summary>Audit: someone looked at a tipster's contact details on the console.</summary>
public sealed class IdentityViewRecord
{
    public long Id { get; set; }
    public Guid TipId { get; set; }
    public required string UserName { get; set; }
    public DateTime At { get; set; }
}
