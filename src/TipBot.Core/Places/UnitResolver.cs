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
/// several units: several candidates come back, the dialog asks, it never guesses.
/// </summary>
public sealed class UnitResolver
{
    // "xa tam thanh" (folded) and "xã tam thạnh" (exact) → units, each for full names and for
    // names without their prefix. A full name with its prefix ("phường Hải Châu") names one unit
    // even though "Hải Châu" alone is also an old district covering several.
    private readonly Index _fullNames = new();
    private readonly Index _names = new();
    private readonly int _longestNameWords;

    public UnitResolver(IEnumerable<Unit> units)
    {
        foreach (var unit in units.Where(u => u.Type != UnitType.Province))
        {
            _fullNames.Add(PlaceKey.Of(unit.Name, stripPrefix: false), unit);
            foreach (var name in unit.Aliases.Prepend(unit.Name))
            {
                var key = PlaceKey.Of(name, stripPrefix: true);
                if (key.Folded.Length == 0) continue;
                _names.Add(key, unit);
                _longestNameWords = Math.Max(_longestNameWords, key.Words);
            }
        }
    }

    /// <summary>Resolves an answer that is meant to be a place name ("P. Hoà Khánh", "xa dien nam bac").</summary>
    public PlaceMatch Resolve(string? answer)
    {
        var full = _fullNames.Find(PlaceKey.Of(answer, stripPrefix: false));
        return full.Candidates.Count > 0 ? full : _names.Find(PlaceKey.Of(answer, stripPrefix: true));
    }

    /// <summary>
    /// Finds a place named inside free text, only where an administrative prefix announces it
    /// ("... ở phường Hải Châu ...", "x. Duy Nghia"): a bare phrase such as "bình sơn" (a can of
    /// paint) is not taken for a commune.
    /// </summary>
    public PlaceMatch FindInText(string? text)
    {
        var normalized = VietnameseText.Normalize(text);
        var folded = VietnameseText.Fold(normalized).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var exact = PlaceKey.ExactWords(normalized);
        if (exact.Length != folded.Length) exact = folded; // a character folded into nothing: fall back to folded
        for (var i = 0; i < folded.Length; i++)
        {
            var prefixLength = AddressPrefixes.UnitPrefixLength(folded, i);
            if (prefixLength == 0) continue;
            var start = i + prefixLength;
            // the longest name wins: "dien ban dong" before "dien ban"
            for (var n = Math.Min(_longestNameWords, folded.Length - start); n >= 1; n--)
            {
                var withPrefix = PlaceKey.FromWords(folded[i..(start + n)], exact[i..(start + n)], stripPrefix: false);
                var full = _fullNames.Find(withPrefix);
                if (full.Candidates.Count > 0) return full;
                var name = _names.Find(PlaceKey.FromWords(folded[start..(start + n)], exact[start..(start + n)], stripPrefix: false));
                if (name.Candidates.Count > 0) return name;
            }
        }
        return PlaceMatch.None;
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

        public PlaceMatch Find(PlaceKey key)
        {
            if (key.Folded.Length == 0 || !_folded.TryGetValue(key.Folded, out var units)) return PlaceMatch.None;
            // Diacritics typed are diacritics meant: "Tam Thạnh" picks the one of three it spells.
            if (units.Count > 1 && key.HasDiacritics && _exact.TryGetValue(key.Exact, out var exact)) return new PlaceMatch(exact);
            return new PlaceMatch(units);
        }

        private static void AddTo(Dictionary<string, List<Unit>> index, string key, Unit unit)
        {
            if (!index.TryGetValue(key, out var list)) index[key] = list = [];
            if (!list.Contains(unit)) list.Add(unit);
        }
    }
}
