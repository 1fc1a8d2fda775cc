namespace TipBot.Core.Places;

/// <summary>One slip of the thumb: a letter added, dropped, changed, or two neighbours swapped.</summary>
internal static class Typo
{
    /// <summary>True when <paramref name="a"/> and <paramref name="b"/> differ by exactly one edit (Damerau).</summary>
    public static bool WithinOneEdit(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.SequenceEqual(b)) return false;
        if (Math.Abs(a.Length - b.Length) > 1) return false;
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
        a = a[prefix..];
        b = b[prefix..];
        if (a.Length == b.Length)
        {
            if (a[1..].SequenceEqual(b[1..])) return true; // changed
            return a.Length >= 2 && a[0] == b[1] && a[1] == b[0] && a[2..].SequenceEqual(b[2..]); // swapped
        }
        return a.Length > b.Length ? a[1..].SequenceEqual(b) : b[1..].SequenceEqual(a); // added or dropped
    }
}
