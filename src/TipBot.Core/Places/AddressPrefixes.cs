namespace TipBot.Core.Places;

/// <summary>Administrative prefixes residents put before a place name, in folded form.</summary>
internal static class AddressPrefixes
{
    // Longest first, so that "thi xa" is stripped before "xa" could be.
    private static readonly string[][] UnitPrefixes =
    [
        ["thanh", "pho"], ["thi", "xa"], ["thi", "tran"], ["dac", "khu"],
        ["phuong"], ["xa"], ["quan"], ["huyen"], ["tp"], ["tx"], ["tt"], ["p"], ["x"], ["q"], ["h"],
    ];

    public static int UnitPrefixLength(string[] words, int at)
    {
        foreach (var prefix in UnitPrefixes)
        {
            if (at + prefix.Length >= words.Length) continue;
            var matches = true;
            for (var k = 0; k < prefix.Length && matches; k++) matches = words[at + k] == prefix[k];
            if (matches) return prefix.Length;
        }
        return 0;
    }

    private static readonly Dictionary<string, string> Abbreviations = new()
    {
        ["p"] = "phuong", ["x"] = "xa", ["q"] = "quan", ["h"] = "huyen", ["tp"] = "thanh pho", ["tx"] = "thi xa", ["tt"] = "thi tran",
    };

    /// <summary>"p hai chau" → "phuong hai chau": abbreviated prefixes written out.</summary>
    public static string Canonical(string folded)
    {
        var space = folded.IndexOf(' ');
        var first = space < 0 ? folded : folded[..space];
        return Abbreviations.TryGetValue(first, out var full) ? full + folded[first.Length..] : folded;
    }

    public static string Strip(string folded)
    {
        var words = folded.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var skip = UnitPrefixLength(words, 0);
        return skip == 0 ? folded : string.Join(' ', words, skip, words.Length - skip);
    }
}
