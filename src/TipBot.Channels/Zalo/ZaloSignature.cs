using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TipBot.Channels.Zalo;

/// <summary>
/// X-ZEvent-Signature: "mac=" + lowercase hex SHA-256 (a plain hash, not an HMAC) of
/// app_id + raw body + timestamp + OA secret key, app_id and timestamp read from the body.
/// Sent with or without the "mac=" prefix; compared in constant time on the received bytes.
/// </summary>
public static class ZaloSignature
{
    public const string Header = "X-ZEvent-Signature";

    public static string ComputeMac(ReadOnlySpan<byte> body, string appId, string timestamp, string secretKey)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(appId));
        hash.AppendData(body);
        hash.AppendData(Encoding.UTF8.GetBytes(timestamp + secretKey));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static bool Verify(ReadOnlyMemory<byte> body, string? header, string secretKey)
    {
        if (string.IsNullOrWhiteSpace(header)) return false;
        var sent = header.Trim();
        if (sent.StartsWith("mac=", StringComparison.OrdinalIgnoreCase)) sent = sent[4..];
        if (!TryReadSignedFields(body, out var appId, out var timestamp)) return false;
        var expected = ComputeMac(body.Span, appId, timestamp, secretKey);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(sent.ToLowerInvariant()));
    }

    /// <summary>app_id and timestamp as the text Zalo put in the body (strings, or numbers by their raw text).</summary>
    private static bool TryReadSignedFields(ReadOnlyMemory<byte> body, out string appId, out string timestamp)
    {
        appId = timestamp = "";
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object) return false;
            if (Json.Id(document.RootElement, "app_id") is not { } app || Json.Id(document.RootElement, "timestamp") is not { } ts) return false;
            (appId, timestamp) = (app, ts);
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }
}
