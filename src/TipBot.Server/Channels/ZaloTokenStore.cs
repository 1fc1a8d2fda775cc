using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TipBot.Channels;
using TipBot.Channels.Zalo;
using TipBot.Server.Persistence;

namespace TipBot.Server.Channels;

/// <summary>
/// The Zalo OA token pair, kept in the channel_tokens row "zalo". Zalo's refresh token is single
/// use and rotates on every refresh, so a refresh (1) runs under a lease, one at a time across all
/// nodes, (2) first re-reads the row, since another node may already have refreshed, and (3)
/// stores the new pair (optimistic concurrency on Version) before anyone uses it. The row is
/// seeded from Zalo:AccessToken/Zalo:RefreshToken when there is none; from then on the row wins.
/// </summary>
public sealed class ZaloTokenStore(
    IServiceScopeFactory scopes,
    ZaloOAuthClient oauth,
    IRefreshLease lease,
    IOptions<ZaloOptions> options,
    IDataProtectionProvider protection,
    TimeProvider clock,
    ILogger<ZaloTokenStore> log) : IZaloAccessTokens
{
    // The pair is a credential to the OA: encrypted at rest like personal data, under its own purpose.
    private readonly IDataProtector _tokens = protection.CreateProtector("TipBot.ChannelTokens.v1");

    public const string Channel = ZaloEventParser.Channel;

    /// <summary>Refresh this long before the stored expiry rather than wait for Zalo's -216.</summary>
    public static readonly TimeSpan RefreshAhead = TimeSpan.FromMinutes(10);

    /// <summary>A configured access token's age is unknown: assume Zalo's nominal 25 hours; -216/-220 corrects it.</summary>
    public static readonly TimeSpan SeedLifetime = TimeSpan.FromHours(25);

    private sealed record Current(string AccessToken, DateTime ExpiresAt);

    private volatile Current? _current;

    public async Task<string> GetAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_current is { } cached && !DueForRefresh(cached, now)) return cached.AccessToken;
        return await RefreshIfDueAsync(ct);
    }

    /// <summary>
    /// Reads the stored pair (another node may have renewed it) and renews it if it expires within
    /// <see cref="RefreshAhead"/>: the sweep calls this every minute, so tokens are renewed ahead of time.
    /// </summary>
    public async Task<string> RefreshIfDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var row = await LoadOrSeedAsync(scope.ServiceProvider.GetRequiredService<TipBotDbContext>(), ct);
        var current = Remember(row);
        if (!DueForRefresh(current, now) || !options.Value.CanRefresh || Open(row.RefreshToken).Length == 0) return current.AccessToken;
        try
        {
            return await RenewAsync(current.AccessToken, ct);
        }
        catch (ChannelSendException e) when (current.AccessToken.Length > 0)
        {
            // Early refresh failed; the current token may still have minutes left, and -216 retries later.
            log.LogWarning("Early Zalo token refresh failed ({Message}); using the current token", e.Message);
            return current.AccessToken;
        }
    }

    public async Task<string> RenewAsync(string rejected, CancellationToken ct)
    {
        IAsyncDisposable held;
        try
        {
            held = await lease.AcquireAsync("zalo-token-refresh", ct);
        }
        catch (Exception e) when (e is TimeoutException or RedisException)
        {
            throw new ChannelSendException(Channel, SendFailure.Transient, "cannot take the Zalo token refresh lease: " + e.Message, inner: e);
        }
        await using (held)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TipBotDbContext>();
            var row = await LoadOrSeedAsync(db, ct);
            var stored = Open(row.AccessToken);
            if (stored.Length > 0 && stored != rejected)
                return Remember(row).AccessToken; // refreshed by someone else while we waited

            if (!options.Value.CanRefresh || Open(row.RefreshToken).Length == 0)
            {
                log.LogError("Zalo refused the access token and no refresh is possible: set Zalo:AppSecret and Zalo:RefreshToken");
                throw new ChannelSendException(Channel, SendFailure.Permanent, "access token refused and no refresh token to renew it");
            }

            // From here the old refresh token is spent: neither the call nor the save may be abandoned
            // because the webhook request that needed a token went away.
            ZaloTokenPair pair;
            try
            {
                pair = await oauth.RefreshAsync(Open(row.RefreshToken), CancellationToken.None);
            }
            catch (ChannelSendException e) when (e.Failure == SendFailure.Permanent)
            {
                log.LogCritical("Zalo refused the stored refresh token ({Message}): authorise the OA again and store the new pair in channel_tokens", e.Message);
                throw;
            }

            var now = clock.GetUtcNow().UtcDateTime;
            row.AccessToken = Seal(pair.AccessToken);
            row.RefreshToken = Seal(pair.RefreshToken);
            row.ExpiresAt = now + pair.ExpiresIn;
            row.UpdatedAt = now;
            row.Version++;
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Only a writer outside the lease (an operator editing the row) gets here: keep theirs.
                log.LogError("The Zalo token row changed during a refresh; keeping the stored pair");
                db.ChangeTracker.Clear();
                return Remember(await db.ChannelTokens.AsNoTracking().SingleAsync(t => t.Channel == Channel, CancellationToken.None)).AccessToken;
            }
            log.LogInformation("Zalo access token refreshed; valid until {ExpiresAt:u}", row.ExpiresAt);
            return Remember(row).AccessToken;
        }
    }

    private string Seal(string token) => token.Length == 0 ? "" : _tokens.Protect(token);

    // A pair an operator stored by hand (docs/operations.md) is plain text: it is used as it is and
    // encrypted with the next refresh.
    private string Open(string stored)
    {
        if (stored.Length == 0) return "";
        try
        {
            return _tokens.Unprotect(stored);
        }
        catch (CryptographicException e) when (!DbErrors.IsKeyRingUnreachable(e))
        {
            return stored;
        }
    }

    private static bool DueForRefresh(Current current, DateTime now) => current.AccessToken.Length == 0 || current.ExpiresAt - RefreshAhead <= now;

    private Current Remember(ChannelTokenRecord row)
    {
        var current = new Current(Open(row.AccessToken), DateTime.SpecifyKind(row.ExpiresAt, DateTimeKind.Utc));
        _current = current;
        return current;
    }

    private async Task<ChannelTokenRecord> LoadOrSeedAsync(TipBotDbContext db, CancellationToken ct)
    {
        if (await db.ChannelTokens.SingleOrDefaultAsync(t => t.Channel == Channel, ct) is { } row) return row;

        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var seeded = new ChannelTokenRecord
        {
            Channel = Channel,
            AccessToken = Seal(o.AccessToken?.Trim() ?? ""),
            RefreshToken = Seal(o.RefreshToken?.Trim() ?? ""),
            ExpiresAt = string.IsNullOrWhiteSpace(o.AccessToken) ? now : now + SeedLifetime,
            UpdatedAt = now,
            Version = 0,
        };
        db.ChannelTokens.Add(seeded);
        try
        {
            await db.SaveChangesAsync(ct);
            return seeded;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            db.ChangeTracker.Clear(); // another node seeded first
            return await db.ChannelTokens.SingleAsync(t => t.Channel == Channel, ct);
        }
    }
}
