using System.Security.Cryptography;

namespace TipBot.Core.Tips;

/// <summary>
/// A tip's public code: prefix, hyphen, six Crockford base32 characters ("TB-4K7P2M").
/// Crockford's alphabet has no I, L, O or U, so codes read aloud over the phone survive.
/// </summary>
public static class TipCode
{
    public const int Length = 6;
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New(string prefix)
    {
        Span<char> chars = stackalloc char[Length];
        for (var i = 0; i < Length; i++)
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return $"{prefix}-{chars}";
    }

    /// <summary>
    /// Reads a code as a resident types it: any case, spaces, with or without the hyphen,
    /// and with the look-alikes Crockford allows (O → 0, I and L → 1).
    /// </summary>
    public static bool TryParse(string? text, string prefix, out string code)
    {
        code = string.Empty;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var compact = new string(text.Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray()).ToUpperInvariant();
        var upperPrefix = prefix.ToUpperInvariant();
        if (compact.StartsWith(upperPrefix, StringComparison.Ordinal)) compact = compact[upperPrefix.Length..];
        if (compact.Length != Length) return false;
        Span<char> body = stackalloc char[Length];
        for (var i = 0; i < Length; i++)
        {
            var c = compact[i] switch { 'O' => '0', 'I' or 'L' => '1', var other => other };
            if (Alphabet.IndexOf(c) < 0) return false;
            body[i] = c;
        }
        code = $"{prefix}-{body}";
        return true;
    }
}
