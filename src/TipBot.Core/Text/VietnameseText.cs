using System.Globalization;
using System.Text;

namespace TipBot.Core.Text;

/// <summary>
/// Unicode handling for Vietnamese input: NFC first, then a managed folding table so that
/// comparisons work without diacritics and without ICU (invariant globalization makes
/// string.Normalize a no-op and culture comparison treats đ as its own letter).
/// </summary>
public static class VietnameseText
{
    // Each group: the plain letter, then every precomposed Vietnamese letter that folds to it.
    private static readonly string[] FoldGroups =
    [
        "aàáảãạăằắẳẵặâầấẩẫậ", "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ",
        "eèéẻẽẹêềếểễệ", "EÈÉẺẼẸÊỀẾỂỄỆ",
        "iìíỉĩị", "IÌÍỈĨỊ",
        "oòóỏõọôồốổỗộơờớởỡợ", "OÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ",
        "uùúủũụưừứửữự", "UÙÚỦŨỤƯỪỨỬỮỰ",
        "yỳýỷỹỵ", "YỲÝỶỸỴ",
        "dđ", "DĐÐ",
    ];

    private static readonly Dictionary<char, char> FoldMap = BuildFoldMap();

    private static Dictionary<char, char> BuildFoldMap()
    {
        var map = new Dictionary<char, char>();
        foreach (var group in FoldGroups)
            foreach (var c in group.AsSpan(1))
                map[c] = group[0];
        return map;
    }

    /// <summary>NFC, with the two tone-mark placements (hòa / hoà) brought to one form.</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        text = WithoutLoneSurrogates(text);
        var nfc = text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
        return ToneMarks.ToModernPlacement(nfc);
    }

    /// <summary>
    /// Half of a surrogate pair alone is not text (a cut emoji, a mangled file), and .NET's
    /// normalisation throws on it: it becomes U+FFFD, the replacement character.
    /// </summary>
    private static string WithoutLoneSurrogates(string text)
    {
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0) return text;
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])) { i++; continue; }
            if (char.IsSurrogate(chars[i])) chars[i] = '\uFFFD';
        }
        return new string(chars);
    }

    /// <summary>
    /// Lower-case, diacritics removed, đ → d, punctuation turned into single spaces.
    /// "Phường Hoà Khánh!" → "phuong hoa khanh".
    /// </summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        text = WithoutLoneSurrogates(text);
        var source = text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
        var sb = new StringBuilder(source.Length);
        var lastWasSpace = true;
        foreach (var ch in source)
        {
            var c = FoldMap.TryGetValue(ch, out var folded) ? folded : ch;
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark)
                continue; // a decomposed tone mark that NFC could not compose
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(char.ToLowerInvariant(c));
                lastWasSpace = false;
            }
            else if (!lastWasSpace)
            {
                sb.Append(' ');
                lastWasSpace = true;
            }
        }
        if (sb.Length > 0 && sb[^1] == ' ') sb.Length--;
        return sb.ToString();
    }

    /// <summary>The letter without its diacritics (đ → d, Ð → D); any other character as it is. Case is kept.</summary>
    public static char FoldChar(char c) => c < FoldTable.Length ? FoldTable[c] : c;

    // FoldMap as an array over the Latin and Vietnamese blocks, for the classifier's hot loop.
    private static readonly char[] FoldTable = BuildFoldTable();

    private static char[] BuildFoldTable()
    {
        var table = new char[0x1F00];
        for (var c = 0; c < table.Length; c++) table[c] = FoldMap.TryGetValue((char)c, out var f) ? f : (char)c;
        return table;
    }

    /// <summary>True when the text carries at least one Vietnamese diacritic.</summary>
    public static bool HasDiacritics(string text) => text.Any(FoldMap.ContainsKey);
}
