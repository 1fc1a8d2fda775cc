using System.Globalization;
using System.Resources;

namespace TipBot.Server.AdminConsole;

/// <summary>The console's words, from Resources/ConsoleStrings.resx (Vietnamese) and ConsoleStrings.en.resx.</summary>
public static class ConsoleText
{
    private static readonly ResourceManager Manager = new("TipBot.Server.Console.Resources.ConsoleStrings", typeof(ConsoleText).Assembly);

    public static bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public static string Culture => English ? "en" : "vi";

    /// <summary>The text for the request's culture; the key itself if missing, so a gap shows rather than breaks.</summary>
    public static string Text(string key) => TextOrNull(key) ?? key;

    public static string? TextOrNull(string key) => Manager.GetString(key, English ? CultureInfo.GetCultureInfo("en") : CultureInfo.InvariantCulture);

    public static string Text(string key, params object?[] args) => string.Format(CultureInfo.InvariantCulture, Text(key), args);

    /// <summary>The text in a given language ("vi" or "en") whatever the request's: the admin API answers in English.</summary>
    public static string In(string culture, string key, params object?[] args) =>
        string.Format(CultureInfo.InvariantCulture,
            Manager.GetString(key, culture == "en" ? CultureInfo.GetCultureInfo("en") : CultureInfo.InvariantCulture) ?? key, args);
}

/// <summary>Times as officers read them: Vietnam time, dd/MM/yyyy.</summary>
public static class VietnamTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");

    /// <summary>Vietnam's offset from UTC, unchanged since 1975 and without daylight saving: what SQL adds to count local days.</summary>
    public const int UtcOffsetHours = 7;

    public static DateTime Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    public static string Date(DateTime utc) => Local(utc).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    public static string Stamp(DateTime utc) => Local(utc).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    public static string? Stamp(DateTime? utc) => utc is { } u ? Stamp(u) : null;

    /// <summary>Reads a local time as the console shows it (dd/MM/yyyy HH:mm) or as a datetime-local input sends it (yyyy-MM-ddTHH:mm).</summary>
    public static DateTimeOffset? ParseLocal(string? text)
    {
        if (!DateTime.TryParseExact(text?.Trim(), ["dd/MM/yyyy HH:mm", "d/M/yyyy H:mm", "yyyy-MM-ddTHH:mm", "yyyy-MM-dd HH:mm"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)) return null;
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    /// <summary>The UTC instant a Vietnam calendar day starts.</summary>
    public static DateTime StartOfDayUtc(DateOnly day) => TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue), Zone);

    /// <summary>Reads dd/MM/yyyy (what the console shows) or yyyy-MM-dd (what a date input sends).</summary>
    public static DateOnly? ParseDay(string? text) =>
        DateOnly.TryParseExact(text?.Trim(), ["dd/MM/yyyy", "yyyy-MM-dd", "d/M/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
