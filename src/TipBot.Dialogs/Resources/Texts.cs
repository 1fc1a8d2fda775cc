using System.Globalization;
using System.Resources;

[assembly: NeutralResourcesLanguage("vi")]

namespace TipBot.Dialogs.Resources;

/// <summary>
/// Every resident- and officer-facing sentence, from Strings.resx (Vietnamese, the default) and
/// Strings.en.resx. Code names a text by key; the wording lives in the resource files.
/// </summary>
public static class Texts
{
    private static readonly ResourceManager Manager = new("TipBot.Dialogs.Resources.Strings", typeof(Texts).Assembly);
    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    public static IReadOnlyList<string> Cultures { get; } = ["vi", "en"];

    public static string Normalize(string? culture) => culture is not null && culture.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "en" : "vi";

    public static string Get(string culture, string key) =>
        Manager.GetString(key, culture == "en" ? English : Vietnamese)
        ?? throw new KeyNotFoundException($"No text '{key}' in Strings.resx");

    public static string Format(string culture, string key, params object?[] args) =>
        string.Format(CultureInfo.InvariantCulture, Get(culture, key), args);
}
