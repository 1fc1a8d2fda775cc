using Microsoft.EntityFrameworkCore;
using TipBot.Core;
using TipBot.Core.Directory;
using TipBot.Core.Text;
using TipBot.Server.Persistence;

namespace TipBot.Server.Directory;

public sealed record ImportResult(int UnitsAdded, int UnitsUpdated, int OfficersAdded, int OfficersUpdated, int SampleOfficersRetired = 0)
{
    public override string ToString() =>
        $"units: {UnitsAdded} added, {UnitsUpdated} updated; officers: {OfficersAdded} added, {OfficersUpdated} updated"
        + (SampleOfficersRetired > 0 ? $"; {SampleOfficersRetired} sample officer(s) retired" : "");
}

public sealed class DirectoryImportException(IReadOnlyList<string> errors)
    : Exception("The directory files have errors:\n" + string.Join('\n', errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// Loads units.csv and officers.csv (INTERFACES.md) and upserts them by code and id: importing
/// the same files twice changes nothing the second time. Rows not in the files are kept.
/// Nothing is written unless both files are valid.
/// </summary>
public sealed class DirectoryImporter(TipBotDbContext db, DirectoryCache cache)
{
    private static readonly string[] UnitHeader = ["code", "name", "type", "parent_code", "aliases"];
    private static readonly string[] OfficerHeader = ["id", "full_name", "unit_code", "role", "channel", "chat_id", "phone"];
    private static readonly HashSet<string> Channels = ["telegram", "messenger", "zalo", "web"];

    /// <param name="retireSampleOfficers">
    /// An operator's import: the sample directory's web officers (loaded on first start so a
    /// newcomer can try the bot) are removed unless the file names them, so no real tip goes to them.
    /// </param>
    public async Task<ImportResult> ImportAsync(TextReader units, TextReader officers, CancellationToken ct, bool retireSampleOfficers = false)
    {
        var errors = new List<string>();
        var unitRows = ReadUnits(units, errors);
        var knownUnits = unitRows.Select(u => u.Code).Concat(await db.Units.Select(u => u.Code).ToListAsync(ct)).ToHashSet();
        foreach (var u in unitRows.Where(u => u.ParentCode is not null && !knownUnits.Contains(u.ParentCode)))
            errors.Add($"units.csv: unit {u.Code} has unknown parent_code {u.ParentCode}");
        var officerRows = ReadOfficers(officers, knownUnits, errors);
        if (errors.Count > 0) throw new DirectoryImportException(errors);

        var existingUnits = await db.Units.ToDictionaryAsync(u => u.Code, ct);
        int unitsAdded = 0, unitsUpdated = 0, officersAdded = 0, officersUpdated = 0;
        foreach (var row in unitRows)
        {
            if (!existingUnits.TryGetValue(row.Code, out var record)) { db.Units.Add(row); unitsAdded++; continue; }
            if (record.Name == row.Name && record.Type == row.Type && record.ParentCode == row.ParentCode && record.Aliases == row.Aliases) continue;
            (record.Name, record.Type, record.ParentCode, record.Aliases) = (row.Name, row.Type, row.ParentCode, row.Aliases);
            unitsUpdated++;
        }
        var existingOfficers = await db.Officers.ToDictionaryAsync(o => o.Id, ct);
        foreach (var row in officerRows)
        {
            if (!existingOfficers.TryGetValue(row.Id, out var record)) { db.Officers.Add(row); officersAdded++; continue; }
            if (record.FullName == row.FullName && record.UnitCode == row.UnitCode && record.Role == row.Role &&
                record.Channel == row.Channel && record.ChatId == row.ChatId && record.Phone == row.Phone) continue;
            (record.FullName, record.UnitCode, record.Role, record.Channel, record.ChatId, record.Phone) =
                (row.FullName, row.UnitCode, row.Role, row.Channel, row.ChatId, row.Phone);
            officersUpdated++;
        }
        await db.SaveChangesAsync(ct);
        var retired = retireSampleOfficers ? await RetireSampleOfficersAsync(officerRows.Select(o => o.Id).ToHashSet(), ct) : 0;
        cache.Invalidate();
        return new ImportResult(unitsAdded, unitsUpdated, officersAdded, officersUpdated, retired);
    }

    private async Task<int> RetireSampleOfficersAsync(HashSet<string> imported, CancellationToken ct)
    {
        var sampleFile = Path.Combine(SampleDirectorySeeder.Folder, "officers.csv");
        if (!File.Exists(sampleFile)) return 0;
        using var reader = new StreamReader(sampleFile);
        var sampleIds = Csv.Read(reader).Skip(1).Where(f => f.Length > 4 && f[4] == "web").Select(f => f[0]).Where(id => !imported.Contains(id)).ToList();
        return sampleIds.Count == 0 ? 0 : await db.Officers.Where(o => sampleIds.Contains(o.Id)).ExecuteDeleteAsync(ct);
    }

    private static List<UnitRecord> ReadUnits(TextReader reader, List<string> errors)
    {
        var rows = new List<UnitRecord>();
        var seen = new HashSet<string>();
        foreach (var (fields, line) in ReadRows(reader, "units.csv", UnitHeader, errors))
        {
            var code = fields[0].Trim();
            if (code.Length == 0 || code.Length > 16) { errors.Add($"units.csv line {line}: code must be 1-16 characters"); continue; }
            if (!seen.Add(code)) { errors.Add($"units.csv line {line}: unit {code} appears twice"); continue; }
            if (!Unit.TryParseType(fields[2], out var type)) { errors.Add($"units.csv line {line}: type must be province, ward, commune, special_zone or department"); continue; }
            var name = VietnameseText.Normalize(fields[1]).Trim();
            if (name.Length == 0) { errors.Add($"units.csv line {line}: name is empty"); continue; }
            var aliases = VietnameseText.Normalize(fields[4]).Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            rows.Add(new UnitRecord
            {
                Code = code,
                Name = name,
                Type = Unit.TypeToCsv(type),
                ParentCode = string.IsNullOrWhiteSpace(fields[3]) ? null : fields[3].Trim(),
                Aliases = string.Join('|', aliases.Distinct()),
            });
        }
        return rows;
    }

    private static List<OfficerRecord> ReadOfficers(TextReader reader, HashSet<string> units, List<string> errors)
    {
        var rows = new List<OfficerRecord>();
        var seen = new HashSet<string>();
        foreach (var (f, line) in ReadRows(reader, "officers.csv", OfficerHeader, errors))
        {
            var id = f[0].Trim();
            if (id.Length == 0 || id.Length > 64) { errors.Add($"officers.csv line {line}: id must be 1-64 characters"); continue; }
            if (!seen.Add(id)) { errors.Add($"officers.csv line {line}: officer {id} appears twice"); continue; }
            if (!units.Contains(f[2].Trim())) { errors.Add($"officers.csv line {line}: unknown unit_code {f[2]}"); continue; }
            if (!Officer.TryParseRole(f[3], out var role)) { errors.Add($"officers.csv line {line}: role must be officer, backup or duty_desk"); continue; }
            var channel = f[4].Trim().ToLowerInvariant();
            if (!Channels.Contains(channel)) { errors.Add($"officers.csv line {line}: channel must be telegram, messenger, zalo or web"); continue; }
            if (string.IsNullOrWhiteSpace(f[5])) { errors.Add($"officers.csv line {line}: chat_id is empty"); continue; }
            rows.Add(new OfficerRecord
            {
                Id = id,
                FullName = VietnameseText.Normalize(f[1]).Trim(),
                UnitCode = f[2].Trim(),
                Role = Officer.RoleToCsv(role),
                Channel = channel,
                ChatId = f[5].Trim(),
                Phone = string.IsNullOrWhiteSpace(f[6]) ? null : f[6].Trim(),
            });
        }
        return rows;
    }

    private static IEnumerable<(string[] Fields, int Line)> ReadRows(TextReader reader, string file, string[] header, List<string> errors)
    {
        List<string[]> all;
        try
        {
            all = Csv.Read(reader).ToList();
        }
        catch (FormatException e)
        {
            errors.Add($"{file}: {e.Message}");
            yield break;
        }
        if (all.Count == 0 || !all[0].Select(h => h.Trim().TrimStart('\uFEFF')).SequenceEqual(header))
        {
            errors.Add($"{file}: the header must be {string.Join(',', header)}");
            yield break;
        }
        for (var i = 1; i < all.Count; i++)
        {
            if (all[i].Length == 1 && all[i][0].Length == 0) continue; // blank line
            if (all[i].Length != header.Length) { errors.Add($"{file} line {i + 1}: expected {header.Length} fields, found {all[i].Length}"); continue; }
            yield return (all[i], i + 1);
        }
    }
}
