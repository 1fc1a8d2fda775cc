namespace TipBot.Channels.Zalo;

/// <summary>
/// The OA's current access token. Zalo rotates the refresh token on every use, so whoever
/// implements this must store each new pair before using it and let one refresh run at a time.
/// </summary>
public interface IZaloAccessTokens
{
    Task<string> GetAsync(CancellationToken ct);

    /// <summary>
    /// Replaces <paramref name="rejected"/>, which Zalo refused (-216/-220), and returns the token
    /// to use now: a fresh one, or the one another sender has already refreshed to.
    /// </summary>
    Task<string> RenewAsync(string rejected, CancellationToken ct);
}

public sealed record ZaloTokenPair(string AccessToken, string RefreshToken, TimeSpan ExpiresIn);
