using System.Buffers;
using System.Text;

namespace TipBot.Core.Text;

/// <summary>
/// Chat Vietnamese in one comparable form: folded (no diacritics, lower case), with teencode and
/// central dialect written out and Telex residue decoded. "ko dc j, chừ tui dduowcj r" →
/// "khong duoc gi bay gio toi duoc roi". The classifier and the urgency detector read this form,
/// so a tip typed without diacritics or in teencode looks like the same tip typed carefully.
/// </summary>
public static class ChatText
{
    // Folded chat spellings → folded words (DOMAIN.md). Only unambiguous ones: "ck" is chồng or
    // chuyển khoản and stays itself; "mo" (mô / mở) and "chu" (chừ / chủ / chú) need their marks.
    private static readonly Dictionary<string, string> Teencode = new(StringComparer.Ordinal)
    {
        ["ko"] = "khong", ["k"] = "khong", ["kh"] = "khong", ["khg"] = "khong", ["hok"] = "khong", ["hk"] = "khong",
        ["kô"] = "khong", ["khum"] = "khong",
        ["dc"] = "duoc", ["dk"] = "duoc", ["dcj"] = "duoc", ["duoj"] = "duoc",
        ["j"] = "gi", ["ji"] = "gi",
        ["vs"] = "voi", ["ntn"] = "nhu the nao",
        ["r"] = "roi", ["rui"] = "roi", ["roy"] = "roi", ["oy"] = "roi",
        ["ng"] = "nguoi", ["ngta"] = "nguoi ta", ["mn"] = "moi nguoi", ["mng"] = "moi nguoi", ["mnguoi"] = "moi nguoi",
        ["ae"] = "anh em", ["ace"] = "anh chi em",
        ["stk"] = "so tai khoan", ["tk"] = "tai khoan", ["sdt"] = "so dien thoai", ["dt"] = "dien thoai", ["dthoai"] = "dien thoai",
        ["vk"] = "vo", ["ny"] = "nguoi yeu", ["bn"] = "ban", ["mk"] = "minh", ["mik"] = "minh",
        ["bh"] = "bay gio", ["bjo"] = "bay gio", ["bgio"] = "bay gio", ["bg"] = "bay gio",
        ["trc"] = "truoc", ["ns"] = "noi", ["nch"] = "noi chuyen", ["lm"] = "lam", ["cx"] = "cung", ["cg"] = "cung",
        ["ms"] = "moi", ["nma"] = "nhung ma", ["nhg"] = "nhung", ["ik"] = "di", ["xm"] = "xe may",
        ["sv"] = "sinh vien", ["hs"] = "hoc sinh", ["cty"] = "cong ty", ["csgt"] = "canh sat giao thong",
        ["ctv"] = "cong tac vien", ["oto"] = "o to", ["tui"] = "toi", ["e"] = "em", ["a"] = "anh", ["c"] = "chi",
        ["bik"] = "biet", ["bit"] = "biet", ["bjt"] = "biet", ["wa"] = "qua", ["ko0"] = "khong", ["hn"] = "hom nay",
        ["ntin"] = "nhan tin", ["tn"] = "tin nhan", ["ib"] = "inbox", ["fb"] = "facebook", ["mxh"] = "mang xa hoi",
    };

    // Central dialect, recognised only with its marks: without them "mo", "chu", "rang" are other words.
    private static readonly Dictionary<string, string> Dialect = new(StringComparer.Ordinal)
    {
        ["mô"] = "dau", ["tê"] = "kia", ["răng"] = "sao", ["chừ"] = "bay gio", ["rứa"] = "vay",
        ["nớ"] = "do", ["bựa"] = "hom", ["mi"] = "may", ["ni"] = "nay", ["tau"] = "tao", ["hấn"] = "han",
        ["ổng"] = "ong ay",
    };

    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> TeencodeLookup =
        Teencode.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> DialectLookup =
        Dialect.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The canonical form of a message, as a string (tests, tools, the urgency detector).</summary>
    public static string Canonical(string? text)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        var buffer = ArrayPool<char>.Shared.Rent(CanonicalCapacity(text.Length));
        try
        {
            var length = WriteCanonical(VietnameseText.Normalize(text), buffer);
            return new string(buffer, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>Room the canonical form of a text of this length may need ("csgt" → "canh sat giao thong").</summary>
    public static int CanonicalCapacity(int length) => length * 4 + 32;

    /// <summary>
    /// Writes the canonical words of NFC text into <paramref name="destination"/>, separated by
    /// single spaces, and returns the length written. The destination needs
    /// <see cref="CanonicalCapacity"/> of the source length.
    /// </summary>
    public static int WriteCanonical(ReadOnlySpan<char> normalized, Span<char> destination)
    {
        Span<char> exact = stackalloc char[64];
        Span<char> folded = stackalloc char[64];
        var written = 0;
        var i = 0;
        while (i < normalized.Length)
        {
            if (!char.IsLetterOrDigit(normalized[i]) && !IsCombiningMark(normalized[i])) { i++; continue; }
            var start = i;
            while (i < normalized.Length && (char.IsLetterOrDigit(normalized[i]) || IsCombiningMark(normalized[i]))) i++;
            var word = normalized[start..i];
            if (word.Length > exact.Length) word = word[..exact.Length]; // a 64-letter "word" is no word

            var exactLength = 0;
            var foldedLength = 0;
            foreach (var ch in word)
            {
                if (IsCombiningMark(ch)) continue;
                exact[exactLength++] = char.ToLowerInvariant(ch);
                folded[foldedLength++] = char.ToLowerInvariant(VietnameseText.FoldChar(ch));
            }
            if (foldedLength == 0) continue;

            if (written > 0) destination[written++] = ' ';
            if (DialectLookup.TryGetValue(exact[..exactLength], out var dialect))
            {
                dialect.CopyTo(destination[written..]);
                written += dialect.Length;
            }
            // A lone letter is teencode only when typed bare: "e" is em, "ê" is a call for attention.
            else if ((foldedLength > 1 || exact[0] == folded[0]) && TeencodeLookup.TryGetValue(folded[..foldedLength], out var expanded))
            {
                expanded.CopyTo(destination[written..]);
                written += expanded.Length;
            }
            else
            {
                written += Telex.Decode(folded[..foldedLength], destination[written..]);
            }
        }
        return written;
    }

    private static bool IsCombiningMark(char c) => c is >= '\u0300' and <= '\u036F';

    /// <summary>
    /// A phone whose Vietnamese keyboard is off types Telex as plain letters: "dduowcj" is "được".
    /// Only a word that carries Telex evidence (dd, aa, ee, oo, aw, ow, uw, w) is decoded, so English
    /// words ("bus", "tour") and ordinary folded words pass through unchanged.
    /// </summary>
    internal static class Telex
    {
        public static int Decode(ReadOnlySpan<char> word, Span<char> destination)
        {
            if (!HasTelexEvidence(word))
            {
                word.CopyTo(destination);
                return word.Length;
            }
            var end = word.Length;
            if (end > 2 && word[end - 1] is 's' or 'f' or 'r' or 'x' or 'j' or 'z') end--; // tone key
            var n = 0;
            for (var i = 0; i < end; i++)
            {
                var c = word[i];
                if (c == 'w') continue; // horn/breve key: ow → o, uw → u, aw → a
                if (i + 1 < end && word[i + 1] == c && c is 'd' or 'a' or 'e' or 'o') { destination[n++] = c; i++; continue; }
                destination[n++] = c;
            }
            if (n == 0) { word.CopyTo(destination); return word.Length; }
            return n;
        }

        private static bool HasTelexEvidence(ReadOnlySpan<char> word)
        {
            if (word.Length < 3) return false;
            foreach (var c in word)
                if (c is < 'a' or > 'z') return false; // digits, other scripts: not Telex
            if (word.StartsWith("dd")) return true;
            for (var i = 1; i < word.Length; i++)
            {
                var c = word[i];
                if (c == 'w' && word[i - 1] is 'a' or 'o' or 'u') return true;
                if (c == word[i - 1] && c is 'a' or 'e' or 'o' && i + 1 < word.Length && word[i + 1] is 'n' or 'm' or 'c' or 't' or 'p' or 'i' or 'y' or 'u' or 's' or 'f' or 'r' or 'x' or 'j') return true;
            }
            return false;
        }
    }
}
