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

    // Abbreviated or undiacritised first words written out, in folded and exact form.
    private static readonly Dictionary<string, (string Folded, string Exact)> Expansions = new()
    {
        ["p"] = ("phuong", "phường"), ["phuong"] = ("phuong", "phường"),
        ["x"] = ("xa", "xã"), ["xa"] = ("xa", "xã"),
        ["q"] = ("quan", "quận"), ["quan"] = ("quan", "quận"),
        ["h"] = ("huyen", "huyện"), ["huyen"] = ("huyen", "huyện"),
        ["tp"] = ("thanh pho", "thành phố"), ["tx"] = ("thi xa", "thị xã"), ["tt"] = ("thi tran", "thị trấn"),
    };

    /// <summary>The written-out form of a prefix word ("p" → phuong / phường), or null.</summary>
    public static (string Folded, string Exact)? Expand(string foldedWord) =>
        Expansions.TryGetValue(foldedWord, out var e) ? e : null;
}
