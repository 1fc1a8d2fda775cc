using System.Security.Cryptography;
using System.Text;

namespace TipBot.Channels.Messenger;

/// <summary>
/// X-Hub-Signature-256: "sha256=" + lowercase hex HMAC-SHA256 of the raw body, keyed with the app
/// secret. Meta signs the bytes it sends (Vietnamese arrives \u-escaped), so only the received
/// bytes verify; a re-serialised body would fail on exactly the non-ASCII texts.
/// </summary>
public static class MessengerSignature
{
    public const string Header = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";

    public static string Sign(ReadOnlySpan<byte> body, string appSecret) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));

    public static bool Verify(ReadOnlySpan<byte> body, string? header, string appSecret)
    {
        if (header is null || !header.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(body, appSecret)[Prefix.Length..]);
        var sent = Encoding.ASCII.GetBytes(header[Prefix.Length..].Trim().ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, sent);
    }

    /// <summary>The handshake's hub.verify_token, compared in constant time.</summary>
    public static bool VerifyTokenMatches(string? sent, string? expected) =>
        !string.IsNullOrEmpty(sent) && !string.IsNullOrEmpty(expected) &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(expected));
}
