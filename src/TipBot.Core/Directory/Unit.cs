namespace TipBot.Core.Directory;

public enum UnitType { Province, Ward, Commune, SpecialZone, Department }

/// <summary>
/// A police unit: the city (province level), one commune-level unit below it, or a city-level
/// specialist department (drugs, cyber crime…) that is informed of some categories of tips but
/// covers no place of its own.
/// </summary>
public sealed record Unit(string Code, string Name, UnitType Type, string? ParentCode, IReadOnlyList<string> Aliases)
{
    public static string TypeToCsv(UnitType type) => type switch
    {
        UnitType.Province => "province",
        UnitType.Ward => "ward",
        UnitType.Commune => "commune",
        UnitType.Department => "department",
        _ => "special_zone",
    };

    public static bool TryParseType(string? text, out UnitType type)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "province": type = UnitType.Province; return true;
            case "ward": type = UnitType.Ward; return true;
            case "commune": type = UnitType.Commune; return true;
            case "special_zone": type = UnitType.SpecialZone; return true;
            case "department": type = UnitType.Department; return true;
            default: type = default; return false;
        }
    }
}
