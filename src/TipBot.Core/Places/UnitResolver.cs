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
/// Finds units by name or alias, ignoring diacritics, case and address prefixes. A folded name
/// shared by several units (Tam Thanh / Tam Thành / Tam Thạnh, an old district) is returned as
/// several candidates: the dialog asks, it never guesses.
/// </summary>
public sealed class UnitResolver
{
    private readonly Dictionary<string, List<Unit>> _byFoldedName = new(StringComparer.Ordinal);
    // "phuong hai chau" names exactly one unit even though "Hải Châu" alone is also an old district.
    private readonly Dictionary<string, Unit> _byFullName = new(StringComparer.Ordinal);
    private readonly int _longestNameWords;

    public UnitResolver(IEnumerable<Unit> units)
    {
        foreach (var unit in units.Where(u => u.Type != UnitType.Province))
        {
            _byFullName[AddressPrefixes.Canonical(VietnameseText.Fold(unit.Name))] = unit;
            foreach (var name in unit.Aliases.Prepend(unit.Name))
            {
                var key = AddressPrefixes.Strip(VietnameseText.Fold(name));
                if (key.Length == 0) continue;
                if (!_byFoldedName.TryGetValue(key, out var list)) _byFoldedName[key] = list = [];
                if (!list.Contains(unit)) list.Add(unit);
                _longestNameWords = Math.Max(_longestNameWords, key.Count(c => c == ' ') + 1);
            }
        }
    }

    /// <summary>Resolves an answer that is meant to be a place name ("P. Hoà Khánh", "xa dien nam bac").</summary>
    public PlaceMatch Resolve(string? answer)
    {
        var folded = VietnameseText.Fold(answer);
        if (_byFullName.TryGetValue(AddressPrefixes.Canonical(folded), out var exact)) return new PlaceMatch([exact]);
        var key = AddressPrefixes.Strip(folded);
        return key.Length > 0 && _byFoldedName.TryGetValue(key, out var units) ? new PlaceMatch(units) : PlaceMatch.None;
    }

    /// <summary>
    /// Finds a place named inside free text, only where an administrative prefix announces it
    /// ("... ở phường Hải Châu ...", "x. Duy Nghia"): a bare phrase such as "bình sơn" (a can of
    /// paint) is not taken for a commune.
    /// </summary>
    public PlaceMatch FindInText(string? text)
    {
        var words = VietnameseText.Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < words.Length; i++)
        {
            var prefixLength = AddressPrefixes.UnitPrefixLength(words, i);
            if (prefixLength == 0) continue;
            var start = i + prefixLength;
            var prefix = AddressPrefixes.Canonical(string.Join(' ', words, i, prefixLength));
            // the longest name wins: "dien ban dong" before "dien ban"
            for (var n = Math.Min(_longestNameWords, words.Length - start); n >= 1; n--)
            {
                var key = string.Join(' ', words, start, n);
                if (_byFullName.TryGetValue(prefix + " " + key, out var exact)) return new PlaceMatch([exact]);
                if (_byFoldedName.TryGetValue(key, out var units)) return new PlaceMatch(units);
            }
        }
        return PlaceMatch.None;
    }
}
