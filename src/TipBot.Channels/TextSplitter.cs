using System.Globalization;

namespace TipBot.Channels;

/// <summary>
/// Splits a long text to a channel's limit at paragraph, sentence or word breaks, never inside a
/// surrogate pair or a combining sequence (text elements are kept whole).
/// </summary>
public static class TextSplitter
{
    public static IReadOnlyList<string> Split(string text, int limit)
    {
        if (text.Length <= limit) return [text];
        var parts = new List<string>();
        var rest = text;
        while (rest.Length > limit)
        {
            var cut = BestBreak(rest, limit);
            parts.Add(rest[..cut].TrimEnd());
            rest = rest[cut..].TrimStart();
        }
        if (rest.Length > 0) parts.Add(rest);
        return parts;
    }

    private static int BestBreak(string text, int limit)
    {
        var window = text[..limit];
        foreach (var separator in new[] { "\n\n", "\n", ". ", " " })
        {
            var at = window.LastIndexOf(separator, StringComparison.Ordinal);
            if (at > limit / 2) return at + separator.Length;
        }
        // No break in sight: cut at the last whole text element that fits.
        var elements = StringInfo.ParseCombiningCharacters(text);
        var cut = elements.LastOrDefault(i => i <= limit && i > 0);
        return cut > 0 ? cut : limit;
    }
}
