using TipBot.Core.Places;

namespace TipBot.Core.Directory;

/// <summary>
/// An immutable snapshot of units and officers. Small (about a hundred rows each), so it is held
/// in memory and swapped whole when the directory changes.
/// </summary>
public sealed class UnitDirectory
{
    private readonly Dictionary<string, Unit> _units;
    private readonly Dictionary<(string Channel, string ChatId), Officer> _officersByChat;

    public UnitDirectory(IEnumerable<Unit> units, IEnumerable<Officer> officers)
    {
        _units = units.ToDictionary(u => u.Code, StringComparer.Ordinal);
        Officers = officers.ToList();
        _officersByChat = Officers
            .GroupBy(o => (o.Channel, o.ChatId))
            .ToDictionary(g => g.Key, g => g.First());
        Places = new UnitResolver(_units.Values);
        Province = _units.Values.FirstOrDefault(u => u.Type == UnitType.Province);
    }

    public static UnitDirectory Empty { get; } = new([], []);

    public IReadOnlyCollection<Unit> Units => _units.Values;
    public IReadOnlyList<Officer> Officers { get; }
    public UnitResolver Places { get; }
    public Unit? Province { get; }

    public Unit? FindUnit(string? code) => code is not null && _units.TryGetValue(code, out var u) ? u : null;

    public Officer? FindOfficerByChat(string channel, string chatId) =>
        _officersByChat.GetValueOrDefault((channel, chatId));

    public IEnumerable<Officer> OfficersOf(string unitCode) => Officers.Where(o => o.UnitCode == unitCode);
}
