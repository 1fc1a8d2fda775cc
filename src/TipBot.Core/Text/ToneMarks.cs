namespace TipBot.Core.Text;

/// <summary>
/// Vietnamese has two accepted tone-mark placements in "oa", "oe", "uy" (hòa / hoà, thúy / thuý).
/// Both are correct; we bring text to one of them (the one on the second vowel, as in the unit data
/// "Hoà Khánh") so that exact comparisons agree. Folding makes the difference vanish anyway.
/// </summary>
internal static class ToneMarks
{
    private static readonly (string Old, string Modern)[] Pairs = Build();

    private static (string, string)[] Build()
    {
        // tone-marked first vowel → plain first vowel + tone-marked second vowel
        var list = new List<(string, string)>();
        void Add(string firsts, char plainFirst, string seconds)
        {
            // firsts and seconds list the same tones in the same order: huyền, sắc, hỏi, ngã, nặng
            for (var i = 0; i < firsts.Length; i++)
            {
                list.Add((firsts[i].ToString() + seconds[0], plainFirst.ToString() + seconds[i + 1]));
                list.Add((char.ToUpperInvariant(firsts[i]).ToString() + seconds[0],
                          char.ToUpperInvariant(plainFirst).ToString() + seconds[i + 1]));
                list.Add((char.ToUpperInvariant(firsts[i]).ToString() + char.ToUpperInvariant(seconds[0]),
                          char.ToUpperInvariant(plainFirst).ToString() + char.ToUpperInvariant(seconds[i + 1])));
            }
        }
        Add("òóỏõọ", 'o', "aàáảãạ");
        Add("òóỏõọ", 'o', "eèéẻẽẹ");
        Add("ùúủũụ", 'u', "yỳýỷỹỵ");
        return list.ToArray();
    }

    public static string ToModernPlacement(string text)
    {
        if (text.Length < 2) return text;
        string? result = null;
        foreach (var (old, modern) in Pairs)
        {
            var source = result ?? text;
            if (!source.Contains(old, StringComparison.Ordinal)) continue;
            result = ReplaceAtSyllableEnd(source, old, modern);
        }
        return result ?? text;
    }

    // Only the syllable-final "òa" is the old placement: "hoàng" has no mark to move ("oà" + ng),
    // while "hòa" → "hoà". A following letter means the pair is not at the end of its syllable.
    private static string ReplaceAtSyllableEnd(string text, string old, string modern)
    {
        var sb = new System.Text.StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var at = text.IndexOf(old, i, StringComparison.Ordinal);
            if (at < 0) { sb.Append(text, i, text.Length - i); break; }
            var end = at + old.Length;
            var syllableEnds = end >= text.Length || !char.IsLetter(text[end]);
            sb.Append(text, i, at - i).Append(syllableEnds ? modern : old);
            i = end;
        }
        return sb.ToString();
    }
}
