using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace TipBot.Server.Cli;

/// <summary>One line of `classify` output, exactly as INTERFACES.md shows it.</summary>
public sealed record ClassifyLine(
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("confidence")] double Confidence,
    [property: JsonPropertyName("urgent")] bool Urgent,
    [property: JsonPropertyName("unit_code")] string? UnitCode,
    [property: JsonPropertyName("unit_name")] string? UnitName);


internal static class ClassifyJson
{
    // Vietnamese stays readable in the output ("Phường Hội An", not "Ph\u01B0\u1EDDng").
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
