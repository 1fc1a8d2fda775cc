using System.Threading.RateLimiting;

namespace TipBot.Server.AdminConsole.Accounts;

/// <summary>
/// Sign-in attempts per client address: the account lockout stops guessing one account's
/// password, this stops one address trying many accounts (20 a minute, then 429 for the rest of
/// the minute). Behind nginx the address is the forwarded one, honoured from loopback proxies only.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    public const int PerMinute = 20;

    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = PerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public bool TryAttempt(HttpContext http)
    {
        using var lease = _limiter.AttemptAcquire(http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
