using TipBot.Core.Text;

namespace TipBot.Core.Places;

/// <summary>
/// A place name in two comparable forms: folded (no diacritics) and exact (lower case, NFC, one
/// tone-mark placement), with abbreviated prefixes written out ("p." → "phuong" / "phường").
/// </summary>
internal readonly record struct PlaceKey(string Folded, string Exact, bool HasDiacritics, int Words)
{
    public static PlaceKey Of(string? name, bool stripPrefix)
    {
        var normalized = VietnameseText.Normalize(name);
        var folded = VietnameseText.Fold(normalized).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var exact = ExactWords(normalized);
        return FromWords(folded, exact.Length == folded.Length ? exact : folded, stripPrefix);
    }

    public static PlaceKey FromWords(string[] folded, string[] exact, bool stripPrefix)
    {
        var skip = stripPrefix ? AddressPrefixes.UnitPrefixLength(folded, 0) : 0;
        var f = folded[skip..];
        var e = exact[skip..];
        // Diacritics as typed (a typed "Xã" says the keyboard has them), before "xa" is written out as "xã".
        var hasDiacritics = e.Any(VietnameseText.HasDiacritics);
        if (!stripPrefix && f.Length > 0 && AddressPrefixes.Expand(f[0]) is { } expanded)
        {
            f = [expanded.Folded, .. f[1..]];
            e = [expanded.Exact, .. e[1..]];
        }
        return new PlaceKey(string.Join(' ', f), string.Join(' ', e), hasDiacritics, f.Length);
    }

    /// <summary>Lower-case words of NFC text, split where <see cref="VietnameseText.Fold"/> splits.</summary>
    public static string[] ExactWords(string normalized)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var ch in normalized)
        {
            if (char.IsLetterOrDigit(ch)) current.Append(char.ToLowerInvariant(ch));
            else if (current.Length > 0) { words.Add(current.ToString()); current.Clear(); }
        }
        if (current.Length > 0) words.Add(current.ToString());
        return words.ToArray();
    }
}
