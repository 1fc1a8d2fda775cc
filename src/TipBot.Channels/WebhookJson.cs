using System.Globalization;
using System.Text.Json;

namespace TipBot.Channels;

/// <summary>
/// Tolerant reads of webhook JSON, shared by the Messenger and Zalo parsers: a field of the
/// wrong type is treated as absent.
/// </summary>
internal static class Json
{
    public static JsonElement? Object(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : null;

    public static string? String(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>An id sent as a string, or (by a sloppy sender) as a number: kept as its text either way.</summary>
    public static string? Id(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetRawText(),
                _ => null,
            }
            : null;

    public static bool Bool(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    /// <summary>A number, or a string holding one (Zalo sends coordinates both ways).</summary>
    public static double? Number(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v)) return null;
        double value;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out value)) return double.IsFinite(value) ? value : null;
        if (v.ValueKind == JsonValueKind.String &&
            double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value)) return double.IsFinite(value) ? value : null;
        return null;
    }

    /// <summary>Epoch milliseconds, as a number (Meta) or a string (Zalo); null when absent or out of range.</summary>
    public static DateTimeOffset? EpochMilliseconds(JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v)) return null;
        long ms = 0;
        var ok = (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out ms)) ||
                 (v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out ms));
        const long max = 253402300799999; // 9999-12-31T23:59:59.999Z
        return ok && ms >= 0 && ms <= max ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }
}
