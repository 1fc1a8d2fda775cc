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

/// <summary>One row an import would add, change or retire.</summary>
public sealed record DirectoryChange(string Kind, string Id, string Name, string Change)
{
    public const string Unit = "unit", Officer = "officer";
    public const string Added = "added", Changed = "changed", Retired = "retired";
}

public sealed record DirectoryImportPreview(IReadOnlyList<DirectoryChange> Changes);

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
        var plan = await PlanAsync(units, officers, retireSampleOfficers, ct);
        db.Units.AddRange(plan.UnitsAdded);
        var changedUnits = plan.UnitsChanged.ToDictionary(u => u.Code);
        foreach (var record in await db.Units.Where(u => changedUnits.Keys.Contains(u.Code)).ToListAsync(ct))
        {
            var row = changedUnits[record.Code];
            (record.Name, record.Type, record.ParentCode, record.Aliases) = (row.Name, row.Type, row.ParentCode, row.Aliases);
        }
        db.Officers.AddRange(plan.OfficersAdded);
        // Only the officers.csv fields: OnDuty is the officer's own and survives an import.
        var changedOfficers = plan.OfficersChanged.ToDictionary(o => o.Id);
        foreach (var record in await db.Officers.Where(o => changedOfficers.Keys.Contains(o.Id)).ToListAsync(ct))
        {
            var row = changedOfficers[record.Id];
            (record.FullName, record.UnitCode, record.Role, record.Channel, record.ChatId, record.Phone) =
                (row.FullName, row.UnitCode, row.Role, row.Channel, row.ChatId, row.Phone);
        }
        await db.SaveChangesAsync(ct);
        var retired = plan.OfficersRetired.Count == 0 ? 0 : await db.Officers.Where(o => plan.OfficersRetired.Contains(o.Id)).ExecuteDeleteAsync(ct);
        cache.Invalidate();
        return new ImportResult(plan.UnitsAdded.Count, plan.UnitsChanged.Count, plan.OfficersAdded.Count, plan.OfficersChanged.Count, retired);
    }

    /// <summary>What <see cref="ImportAsync"/> would change, without writing anything (the console's preview).</summary>
    public async Task<DirectoryImportPreview> PreviewAsync(TextReader units, TextReader officers, CancellationToken ct, bool retireSampleOfficers = false)
    {
        var plan = await PlanAsync(units, officers, retireSampleOfficers, ct);
        var retiredNames = await db.Officers.AsNoTracking().Where(o => plan.OfficersRetired.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.FullName, ct);
        return new DirectoryImportPreview(
        [
            .. plan.UnitsAdded.Select(u => new DirectoryChange(DirectoryChange.Unit, u.Code, u.Name, DirectoryChange.Added)),
            .. plan.UnitsChanged.Select(u => new DirectoryChange(DirectoryChange.Unit, u.Code, u.Name, DirectoryChange.Changed)),
            .. plan.OfficersAdded.Select(o => new DirectoryChange(DirectoryChange.Officer, o.Id, o.FullName, DirectoryChange.Added)),
            .. plan.OfficersChanged.Select(o => new DirectoryChange(DirectoryChange.Officer, o.Id, o.FullName, DirectoryChange.Changed)),
            .. plan.OfficersRetired.Select(id => new DirectoryChange(DirectoryChange.Officer, id, retiredNames.GetValueOrDefault(id, id), DirectoryChange.Retired)),
        ]);
    }

    private sealed record Plan(List<UnitRecord> UnitsAdded, List<UnitRecord> UnitsChanged, List<OfficerRecord> OfficersAdded, List<OfficerRecord> OfficersChanged, List<string> OfficersRetired);

    /// <summary>Reads and checks both files, and compares them with the records: the one place that decides what an import changes.</summary>
    private async Task<Plan> PlanAsync(TextReader units, TextReader officers, bool retireSampleOfficers, CancellationToken ct)
    {
        var errors = new List<string>();
        var unitRows = ReadUnits(units, errors);
        var knownUnits = unitRows.Select(u => u.Code).Concat(await db.Units.Select(u => u.Code).ToListAsync(ct)).ToHashSet();
        foreach (var u in unitRows.Where(u => u.ParentCode is not null && !knownUnits.Contains(u.ParentCode)))
            errors.Add($"units.csv: unit {u.Code} has unknown parent_code {u.ParentCode}");
        var officerRows = ReadOfficers(officers, knownUnits, errors);
        if (errors.Count > 0) throw new DirectoryImportException(errors);

        var plan = new Plan([], [], [], [], []);
        var existingUnits = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Code, ct);
        foreach (var row in unitRows)
        {
            if (!existingUnits.TryGetValue(row.Code, out var record)) plan.UnitsAdded.Add(row);
            else if (record.Name != row.Name || record.Type != row.Type || record.ParentCode != row.ParentCode || record.Aliases != row.Aliases) plan.UnitsChanged.Add(row);
        }
        var existingOfficers = await db.Officers.AsNoTracking().ToDictionaryAsync(o => o.Id, ct);
        foreach (var row in officerRows)
        {
            if (!existingOfficers.TryGetValue(row.Id, out var record)) plan.OfficersAdded.Add(row);
            else if (record.FullName != row.FullName || record.UnitCode != row.UnitCode || record.Role != row.Role ||
                     record.Channel != row.Channel || record.ChatId != row.ChatId || record.Phone != row.Phone) plan.OfficersChanged.Add(row);
        }
        if (retireSampleOfficers)
        {
            var imported = officerRows.Select(o => o.Id).ToHashSet();
            plan.OfficersRetired.AddRange(SampleWebOfficerIds().Where(id => !imported.Contains(id) && existingOfficers.ContainsKey(id)));
        }
        return plan;
    }

    private static IEnumerable<string> SampleWebOfficerIds()
    {
        var sampleFile = Path.Combine(SampleDirectorySeeder.Folder, "officers.csv");
        if (!File.Exists(sampleFile)) return [];
        using var reader = new StreamReader(sampleFile);
        return Csv.Read(reader).Skip(1).Where(f => f.Length > 4 && f[4] == "web").Select(f => f[0]).ToList();
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
