using TipBot.Core.Directory;
using TipBot.Core.Text;

namespace TipBot.Core.Places;

/// <summary>What a place name resolved to: nothing, exactly one unit, or several to ask about.</summary>
public sealed record PlaceMatch(IReadOnlyList<Unit> Candidates)
{
    public static PlaceMatch None { get; } = new([]);
    public bool IsUnique => Candidates.Count == 1;
    public bool IsAmbiguous => Candidates.Count > 1;
    public Unit? Unit => IsUnique ? Candidates[0] : null;
}

/// <summary>
/// Finds units by name or alias, ignoring case and address prefixes. Typed with diacritics, a
/// name must match them ("Tam Thạnh" is one commune); typed without, it matches every unit whose
/// folded name it is (Tam Thanh / Tam Thành / Tam Thạnh), and so does an old district that now spans
/// several units: several candidates come back, the dialog asks, it never guesses. A name that
/// matches nothing is tried once more with one typo forgiven (names of six letters or more).
/// </summary>
public sealed class UnitResolver
{
    /// <summary>A name needs this many letters before a typo in it is forgiven: "hoa an" ≠ "hoa son".</summary>
    public const int MinLettersForTypo = 6;

    // "xa tam thanh" (folded) and "xã tam thạnh" (exact) → units, each for full names (the unit's
    // own and its aliases that carry a prefix, "Phường Hòa Khánh Bắc") and for names without their
    // prefix. A full name with its prefix ("phường Hải Châu") names one unit even though "Hải Châu"
    // alone is also an old district covering several.
    private readonly Index _fullNames = new();
    private readonly Index _names = new();
    private readonly int _longestNameWords;
    private readonly Dictionary<string, Unit> _byCode = new(StringComparer.Ordinal);

    public UnitResolver(IEnumerable<Unit> units)
    {
        foreach (var unit in units.Where(u => u.Type is not (UnitType.Province or UnitType.Department)))
        {
            _byCode[unit.Code] = unit;
            _fullNames.Add(PlaceKey.Of(unit.Name, stripPrefix: false), unit);
            foreach (var name in unit.Aliases.Prepend(unit.Name))
            {
                var key = PlaceKey.Of(name, stripPrefix: true);
                if (key.Folded.Length == 0) continue;
                _names.Add(key, unit);
                _longestNameWords = Math.Max(_longestNameWords, key.Words);
                var withPrefix = PlaceKey.Of(name, stripPrefix: false);
                if (withPrefix.Words > key.Words) _fullNames.Add(withPrefix, unit);
            }
        }
    }

    /// <summary>Resolves an answer that is meant to be a place name ("P. Hoà Khánh", "xa dien nam bac", "hoa khahn").</summary>
    public PlaceMatch Resolve(string? answer)
    {
        var withPrefix = PlaceKey.Of(answer, stripPrefix: false);
        var withoutPrefix = PlaceKey.Of(answer, stripPrefix: true);
        var full = _fullNames.Find(withPrefix);
        if (full.Candidates.Count > 0) return full;
        var name = _names.Find(withoutPrefix);
        if (name.Candidates.Count > 0) return name;
        // Only when nothing matched exactly: a typo never turns an exact (even ambiguous) answer into a guess.
        full = _fullNames.FindWithTypo(withPrefix);
        return full.Candidates.Count > 0 ? full : _names.FindWithTypo(withoutPrefix);
    }

    /// <summary>
    /// Finds the place a tip names in free text. A name counts where a resident would put a place:
    /// after an administrative prefix ("... ở phường Hải Châu", "x. Duy Nghia", with one typo forgiven),
    /// at the start of the message ("Mân Thái, ...", "son tra co ..."), after a word that says
    /// where ("ở", "tại", "về hướng", "chợ", "kiệt 45") or written as a proper name ("... chợ đêm
    /// Sơn Trà"). A bare phrase inside a sentence, a street or a bridge named after a place ("đường
    /// Hoàng Sa", "cầu Tiên Sơn"), and names of one word without their prefix are not places: "mua
    /// một bình sơn" is a can of paint, "thủy điện bán" is no Điện Bàn. When the first place named
    /// is ambiguous, a later one can narrow it: "Bình Minh, Thăng Bình" is the Bình Minh of Thăng Bình.
    /// </summary>
    public PlaceMatch FindInText(string? text)
    {
        var normalized = VietnameseText.Normalize(text);
        var words = TextWords.Of(normalized);
        if (words.Count == 0) return PlaceMatch.None;
        var folded = words.Folded;

        PlaceMatch? first = null;
        var i = 0;
        while (i < folded.Length)
        {
            // Once an ambiguous place is named, any later name may narrow it: narrowing only ever
            // keeps candidates already found, so it cannot invent a unit.
            var (match, end) = first is { IsAmbiguous: true } ? NameAt(words, i) : MentionAt(words, i);
            if (match is null) { i++; continue; }
            if (first is null) first = match;
            else if (first.IsAmbiguous) first = Narrow(first, match);
            i = end;
        }
        return first ?? PlaceMatch.None;
    }

    /// <summary>Any name of two words or more at word <paramref name="i"/>, or a mention.</summary>
    private (PlaceMatch? Match, int End) NameAt(TextWords words, int i)
    {
        var mention = MentionAt(words, i);
        if (mention.Match is not null) return mention;
        var folded = words.Folded;
        for (var n = Math.Min(_longestNameWords, folded.Length - i); n >= 2; n--)
        {
            if (words.BreaksWithin(i, i + n)) continue;
            var name = _names.Find(PlaceKey.FromWords(folded[i..(i + n)], words.Exact[i..(i + n)], stripPrefix: false));
            if (name.Candidates.Count > 0) return (name, i + n);
        }
        return (null, i + 1);
    }

    /// <summary>A place named at word <paramref name="i"/>, and the word after it.</summary>
    private (PlaceMatch? Match, int End) MentionAt(TextWords words, int i)
    {
        var folded = words.Folded;
        var exact = words.Exact;
        var prefixLength = AddressPrefixes.UnitPrefixLength(folded, i);
        if (prefixLength > 0 && !IsStreetOrLandmark(folded, i) && IsPrefixAsWritten(exact, i, prefixLength)
            && i + prefixLength < folded.Length && !words.BreaksWithin(i, i + prefixLength + 1, allowDotAfterAbbreviation: true))
        {
            var start = i + prefixLength;
            var unmistakable = IsUnmistakablePrefix(exact, i, prefixLength);
            // the longest name wins: "dien ban dong" before "dien ban"
            for (var n = Math.Min(_longestNameWords, folded.Length - start); n >= (unmistakable ? 1 : 2); n--)
            {
                if (words.BreaksWithin(start, start + n)) continue;
                var withPrefix = PlaceKey.FromWords(folded[i..(start + n)], exact[i..(start + n)], stripPrefix: false);
                var full = _fullNames.Find(withPrefix, requireExactForOneWord: n == 1);
                if (full.Candidates.Count > 0) return (full, start + n);
                var name = _names.Find(PlaceKey.FromWords(folded[start..(start + n)], exact[start..(start + n)], stripPrefix: false),
                    requireExactForOneWord: n == 1);
                if (name.Candidates.Count > 0) return (name, start + n);
            }
            if (!unmistakable) return (null, i + 1);
            for (var n = Math.Min(_longestNameWords, folded.Length - start); n >= 2; n--)
            {
                if (words.BreaksWithin(start, start + n)) continue;
                var name = _names.FindWithTypo(PlaceKey.FromWords(folded[start..(start + n)], exact[start..(start + n)], stripPrefix: false));
                if (name.Candidates.Count > 0) return (name, start + n);
            }
            return (null, i + 1);
        }

        if (!IsWherePlaceIsNamed(words, i)) return (null, i + 1);
        for (var n = Math.Min(_longestNameWords, folded.Length - i); n >= 2; n--)
        {
            if (words.BreaksWithin(i, i + n)) continue;
            var name = _names.Find(PlaceKey.FromWords(folded[i..(i + n)], exact[i..(i + n)], stripPrefix: false));
            if (name.Candidates.Count > 0) return (name, i + n);
        }
        // A one-word name heads the message on its own: "Prao, ...", "zuoih: ...".
        if (i == 0 && (folded.Length == 1 || words.BreakAfter(0)))
        {
            var name = _names.Find(PlaceKey.FromWords(folded[..1], exact[..1], stripPrefix: false), requireExactForOneWord: true);
            if (name.Candidates.Count > 0) return (name, 1);
        }
        return (null, i + 1);
    }

    // Words after which a place name is expected (folded): "ở", "tại", "về hướng", "chợ", "khu", ...
    private static readonly HashSet<string> WhereWords = new(StringComparer.Ordinal)
    {
        "o", "tai", "qua", "ve", "huong", "len", "xuong", "thuoc", "khu", "cho", "kiet", "hem", "gan", "ben",
        "vao", "vo", "tu", "toi", "den", "phia", "doan", "thon", "xom", "vung", "ngo", "khom", "to", "khoi",
    };

    // A place name after these names a street, a bridge, a river or a person, not a unit.
    private static readonly HashSet<string> NotPlaceWords = new(StringComparer.Ordinal)
    {
        "duong", "cau", "song", "ten", "pho", "nick", "trang", "khoan", "facebook", "fb", "zalo", "page", "shop",
        "ty", "cty", "karaoke", "travel", "land", // "công ty Hòa Phát", "quán karaoke Đại Thắng": a business's name
    };

    // Titles before a person's name: "anh Bình Minh" is a man. Compared as written when the text has
    // diacritics, so that "phố cổ Hội An" is not "cô Hội An".
    private static readonly HashSet<string> TitleWords = new(StringComparer.Ordinal)
    {
        "ong", "ông", "ba", "bà", "anh", "chi", "chị", "em", "co", "cô", "chu", "chú", "bac", "bác", "thang", "thằng", "con",
    };

    // The prefixes as written with their marks; "quán" and "xả" fold like "quận" and "xã" but are not prefixes.
    private static readonly HashSet<string> PrefixesAsWritten = new(StringComparer.Ordinal)
    {
        "phường", "xã", "quận", "huyện", "thành", "phố", "thị", "trấn", "đặc", "khu",
    };

    private static bool IsPrefixAsWritten(string[] exact, int at, int length)
    {
        for (var k = at; k < at + length; k++)
            if (VietnameseText.HasDiacritics(exact[k]) && !PrefixesAsWritten.Contains(exact[k])) return false;
        return true;
    }

    /// <summary>
    /// A prefix that cannot be an ordinary word: an abbreviation ("p.", "x."), a prefix written
    /// with its marks, or "phuong" / "huyen". Only after one is a typo forgiven or a one-word name
    /// taken: folded "quan" (quán, a shop) and "xa" (far) are too common, "quan tap hoa" is a
    /// grocery, not "Quận Tam Hoà", and "quan ba ban nuoc" is not Xã Ba.
    /// </summary>
    private static bool IsUnmistakablePrefix(string[] exact, int at, int length)
    {
        if (length > 1) return VietnameseText.HasDiacritics(exact[at]);
        var word = exact[at];
        return word.Length <= 2 || word is "phuong" or "huyen" || VietnameseText.HasDiacritics(word);
    }

    private static bool IsWherePlaceIsNamed(TextWords words, int i)
    {
        var folded = words.Folded;
        if (i == 0) return true;
        // After punctuation only a capitalised name, and not in quotes: "Bình Sơn Xịt Đẹp" is a page, not a commune.
        if (words.BreakAfter(i - 1))
            return !words.QuoteAfter(i - 1) && words.IsCapitalised(i) && i + 1 < folded.Length && words.IsCapitalised(i + 1);
        var previous = folded[i - 1];
        if (NotPlaceWords.Contains(previous)) return false;
        // "bà con Thạnh Mỹ" are the people of Thạnh Mỹ; "con Lan" is a daughter.
        if (i >= 2 && folded[i - 2] == "ba" && previous == "con") return words.IsCapitalised(i) || words.Shouting;
        if (TitleWords.Contains(words.Exact[i - 1])) return false;
        if (WhereWords.Contains(previous)) return true;
        // "kiệt 45 Hoà Khánh Nam", "thôn 3 Bình Minh"
        if (i >= 2 && char.IsAsciiDigit(previous[0]) && WhereWords.Contains(folded[i - 2])) return true;
        // Written as a proper name, in a text that is not all capitals: "chợ đêm Sơn Trà".
        if (words.IsCapitalised(i) && i + 1 < folded.Length && words.IsCapitalised(i + 1)) return true;
        // Without capitals to go by, a "where" word a little before will do: "Ở BÃI XE HÒA MINH".
        return words.Shouting && WhereWordShortlyBefore(words, i);
    }

    private static bool WhereWordShortlyBefore(TextWords words, int i)
    {
        for (var k = i - 2; k >= Math.Max(0, i - 3); k--)
        {
            if (words.BreakAfter(k) || NotPlaceWords.Contains(words.Folded[k + 1]) || TitleWords.Contains(words.Exact[k + 1])) return false;
            if (WhereWords.Contains(words.Folded[k])) return true;
        }
        return false;
    }

    private static bool IsStreetOrLandmark(string[] folded, int i) => i > 0 && folded[i - 1] is "duong" or "cau" or "song";

    /// <summary>The candidates both mentions share, if they share some and fewer than the first has.</summary>
    private static PlaceMatch Narrow(PlaceMatch first, PlaceMatch later)
    {
        var shared = first.Candidates.Where(later.Candidates.Contains).ToList();
        return shared.Count > 0 && shared.Count < first.Candidates.Count ? new PlaceMatch(shared) : first;
    }

    /// <summary>
    /// The unit a shared location lies in (point-in-polygon on the shipped boundaries,
    /// <see cref="BoundaryIndex"/>), if the directory has it; none outside Đà Nẵng.
    /// </summary>
    public PlaceMatch FindUnitAt(double latitude, double longitude) => FindUnitAt(latitude, longitude, BoundaryIndex.Default);

    public PlaceMatch FindUnitAt(double latitude, double longitude, BoundaryIndex boundaries) =>
        boundaries.FindUnitCode(latitude, longitude) is { } code && _byCode.TryGetValue(code, out var unit)
            ? new PlaceMatch([unit])
            : PlaceMatch.None;

    /// <summary>The words of a text in folded and exact form, with whether each was written capitalised.</summary>
    private sealed class TextWords
    {
        private readonly bool[] _capitalised;
        private readonly char[] _breakAfter; // the punctuation between word i and i + 1 that ends a phrase, or '\0'

        private TextWords(string[] folded, string[] exact, bool[] capitalised, char[] breakAfter, bool shouting)
        {
            Folded = folded;
            Exact = exact;
            _capitalised = capitalised;
            _breakAfter = breakAfter;
            Shouting = shouting;
        }

        /// <summary>Written all in capitals: capitals say nothing about names. (All in small letters is
        /// common and says as little, but there "ở đây thanh bình lắm" is peace, not Thanh Bình.)</summary>
        public bool Shouting { get; }

        public string[] Folded { get; }
        public string[] Exact { get; }
        public int Count => Folded.Length;
        public bool IsCapitalised(int i) => _capitalised[i];
        public bool BreakAfter(int i) => _breakAfter[i] != '\0';
        public bool QuoteAfter(int i) => _breakAfter[i] is '"' or '“' or '”';

        /// <summary>
        /// Whether punctuation separates words [from, to): a name does not run across "," or ":".
        /// The dot of an abbreviated prefix ("P.Hải Châu", "x. Duy Nghĩa") does not count when allowed.
        /// </summary>
        public bool BreaksWithin(int from, int to, bool allowDotAfterAbbreviation = false)
        {
            for (var k = from; k < to - 1; k++)
            {
                if (_breakAfter[k] == '\0') continue;
                if (allowDotAfterAbbreviation && _breakAfter[k] == '.' && Folded[k].Length <= 2) continue;
                return true;
            }
            return false;
        }

        public static TextWords Of(string normalized)
        {
            var folded = VietnameseText.Fold(normalized).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var exact = PlaceKey.ExactWords(normalized);
            var (original, breaks) = OriginalWords(normalized);
            if (exact.Length != folded.Length || original.Count != folded.Length)
                return new TextWords(folded, folded, new bool[folded.Length], new char[folded.Length], shouting: false); // a character folded into nothing
            // In a text written all in capitals, capitals say nothing about names.
            var shouting = normalized.Any(char.IsUpper) && !normalized.Any(char.IsLower);
            var capitalised = original.Select(w => !shouting && char.IsUpper(w[0]) && w.Skip(1).All(c => !char.IsUpper(c))).ToArray();
            return new TextWords(folded, exact, capitalised, breaks.ToArray(), shouting);
        }

        private static (List<string> Words, List<char> BreakAfter) OriginalWords(string normalized)
        {
            var words = new List<string>();
            var breaks = new List<char>();
            var current = new System.Text.StringBuilder();
            foreach (var ch in normalized)
            {
                if (char.IsLetterOrDigit(ch)) { current.Append(ch); continue; }
                if (current.Length > 0) { words.Add(current.ToString()); breaks.Add('\0'); current.Clear(); }
                if (breaks.Count > 0 && breaks[^1] == '\0' && ch is ',' or ';' or ':' or '.' or '!' or '?' or '(' or ')' or '"' or '\n' or '…' or '“' or '”')
                    breaks[^1] = ch;
            }
            if (current.Length > 0) { words.Add(current.ToString()); breaks.Add('\0'); }
            return (words, breaks);
        }
    }

    private sealed class Index
    {
        private readonly Dictionary<string, List<Unit>> _folded = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<Unit>> _exact = new(StringComparer.Ordinal);

        public void Add(PlaceKey key, Unit unit)
        {
            AddTo(_folded, key.Folded, unit);
            AddTo(_exact, key.Exact, unit);
        }

        /// <summary>
        /// Units of the folded key; typed with diacritics, only those it spells exactly when there
        /// are several. <paramref name="requireExactForOneWord"/>: a one-word name typed with
        /// diacritics must be spelt exactly ("phường đăng" is not Xã Dang).
        /// </summary>
        public PlaceMatch Find(PlaceKey key, bool requireExactForOneWord = false)
        {
            if (key.Folded.Length == 0 || !_folded.TryGetValue(key.Folded, out var units)) return PlaceMatch.None;
            var exactFound = _exact.TryGetValue(key.Exact, out var exact);
            if (requireExactForOneWord && key.HasDiacritics && !exactFound) return PlaceMatch.None;
            // Diacritics typed are diacritics meant: "Tam Thạnh" picks the one of three it spells.
            if (units.Count > 1 && key.HasDiacritics && exactFound) return new PlaceMatch(exact!);
            return new PlaceMatch(units);
        }

        /// <summary>Units of every name one edit away (names of six letters or more); several names: all their units.</summary>
        public PlaceMatch FindWithTypo(PlaceKey key)
        {
            if (key.Folded.Length == 0 || Letters(key.Folded) < MinLettersForTypo) return PlaceMatch.None;
            List<Unit>? found = null;
            foreach (var (name, units) in _folded)
            {
                if (Letters(name) < MinLettersForTypo || !Typo.WithinOneEdit(key.Folded, name)) continue;
                found ??= [];
                foreach (var unit in units) if (!found.Contains(unit)) found.Add(unit);
            }
            return found is null ? PlaceMatch.None : new PlaceMatch(found);
        }

        private static int Letters(string folded)
        {
            var n = 0;
            foreach (var c in folded) if (c != ' ') n++;
            return n;
        }

        private static void AddTo(Dictionary<string, List<Unit>> index, string key, Unit unit)
        {
            if (!index.TryGetValue(key, out var list)) index[key] = list = [];
            if (!list.Contains(unit)) list.Add(unit);
        }
    }
}
