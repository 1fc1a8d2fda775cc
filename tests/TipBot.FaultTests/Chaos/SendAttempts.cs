using System.Globalization;
using System.Text.RegularExpressions;

namespace TipBot.FaultTests.Chaos;

/// <summary>A send attempt that failed, as its server logged it: when it started and ended by the server's own clock.</summary>
public sealed record FailedAttempt(string Sender, DateTime Start, DateTime End, TimeSpan Waited);

/// <summary>
/// Reads the failed send attempts out of a server's log (ChannelDispatcher's "A telegram send
/// attempt failed after N ms" lines). The double only sees when a request reached it and when the
/// connection closed, both late by however long a loaded machine takes to connect and to notice;
/// the server's line says how long the server itself waited.
/// </summary>
public static partial class SendAttempts
{
    [GeneratedRegex(@"^(?<time>\d\d:\d\d:\d\d\.\d{3}) \w+: TipBot\.Channels\.ChannelDispatcher\[\d+\] A telegram send attempt failed after (?<ms>\d+) ms")]
    private static partial Regex FailedLine();

    /// <param name="day">A moment of the run: the log's times of day are placed within 12 h of it.</param>
    public static IReadOnlyList<FailedAttempt> Read(string sender, string logFile, DateTime day)
    {
        if (!File.Exists(logFile)) return [];
        var attempts = new List<FailedAttempt>();
        foreach (var line in File.ReadLines(logFile))
        {
            if (FailedLine().Match(line) is not { Success: true } m) continue;
            var end = day.Date + TimeSpan.ParseExact(m.Groups["time"].Value, @"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture);
            if (end - day > TimeSpan.FromHours(12)) end = end.AddDays(-1);
            else if (day - end > TimeSpan.FromHours(12)) end = end.AddDays(1);
            var waited = TimeSpan.FromMilliseconds(long.Parse(m.Groups["ms"].Value, CultureInfo.InvariantCulture));
            attempts.Add(new FailedAttempt(sender, end - waited, end, waited));
        }
        return attempts;
    }
}
