using Microsoft.EntityFrameworkCore;
using TipBot.Core;
using TipBot.Server.Persistence;

namespace TipBot.Server.Directory;

/// <summary>
/// rosters.csv: `officer_id,days,start,end` — days as `mon-fri`, `sat,sun` (quoted), `*` for every
/// day; start and end as HH:mm in Vietnam time, an end before the start running past midnight.
/// The shifts of every officer named in the file replace that officer's shifts; officers not
/// named keep theirs; an officer with no shifts is on duty whenever they have not said /offduty.
/// </summary>
public sealed class RosterImporter(TipBotDbContext db, DutyRosterCache duty)
{
    private static readonly string[] Header = ["officer_id", "days", "start", "end"];
    private static readonly string[] DayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    public async Task<int> ImportAsync(TextReader reader, CancellationToken ct)
    {
        var errors = new List<string>();
        List<string[]> rows;
        try
        {
            rows = Csv.Read(reader).ToList();
        }
        catch (FormatException e)
        {
            throw new DirectoryImportException([$"rosters.csv: {e.Message}"]);
        }
        if (rows.Count == 0 || !rows[0].Select(h => h.Trim().TrimStart('\uFEFF')).SequenceEqual(Header))
            throw new DirectoryImportException([$"rosters.csv: the header must be {string.Join(',', Header)}"]);

        var officers = (await db.Officers.Select(o => o.Id).ToListAsync(ct)).ToHashSet();
        var shifts = new List<DutyShiftRecord>();
        for (var i = 1; i < rows.Count; i++)
        {
            var f = rows[i];
            if (f.Length == 1 && f[0].Length == 0) continue;
            var line = i + 1;
            if (f.Length != Header.Length) { errors.Add($"rosters.csv line {line}: expected 4 fields"); continue; }
            var officer = f[0].Trim();
            if (!officers.Contains(officer)) { errors.Add($"rosters.csv line {line}: unknown officer {officer}"); continue; }
            if (ParseDays(f[1]) is not { } days) { errors.Add($"rosters.csv line {line}: days must look like mon-fri, sat,sun or *"); continue; }
            if (!TryMinutes(f[2], out var start) || !TryMinutes(f[3], out var end) || start == end)
            {
                errors.Add($"rosters.csv line {line}: start and end must be different HH:mm times");
                continue;
            }
            shifts.AddRange(days.Select(d => new DutyShiftRecord { OfficerId = officer, Day = d, StartMinute = start, EndMinute = end }));
        }
        if (errors.Count > 0) throw new DirectoryImportException(errors);

        var named = shifts.Select(s => s.OfficerId).Distinct().ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.DutyShifts.Where(s => named.Contains(s.OfficerId)).ExecuteDeleteAsync(ct);
        db.DutyShifts.AddRange(shifts);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        duty.Invalidate();
        return shifts.Count;
    }

    private static List<int>? ParseDays(string text)
    {
        var days = new SortedSet<int>();
        foreach (var part in text.ToLowerInvariant().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part == "*") { for (var d = 1; d <= 7; d++) days.Add(d); continue; }
            var range = part.Split('-', StringSplitOptions.TrimEntries);
            var from = Array.IndexOf(DayNames, range[0]) + 1;
            var to = range.Length == 2 ? Array.IndexOf(DayNames, range[1]) + 1 : from;
            if (from == 0 || to == 0 || range.Length > 2) return null;
            for (var d = from; ; d = d % 7 + 1) { days.Add(d); if (d == to) break; }
        }
        return days.Count == 0 ? null : days.ToList();
    }

    private static bool TryMinutes(string text, out int minutes)
    {
        minutes = 0;
        if (!TimeOnly.TryParseExact(text.Trim(), "H:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var time)) return false;
        minutes = time.Hour * 60 + time.Minute;
        return true;
    }
}
