using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TipBot.Core.Classification;
using TipBot.Core.Directory;
using TipBot.Core.Messaging;
using TipBot.Dialogs.Resources;
using TipBot.Server.Directory;
using TipBot.Server.Outbox;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tips;

/// <summary>
/// Tells the specialist units of a tip's category (Routing:Specialists) that it came in, e.g. the
/// drug unit of every drugs tip. A copy per officer of the unit's duty desk (or its officers when
/// it has no desk), keyed per tip and officer, so a re-run of routing sends nothing twice. The
/// caller sends the rows: in process after a routed tip's alert, or as Hangfire jobs.
/// </summary>
public sealed class SpecialistCopies(
    TipBotDbContext db,
    DirectoryCache directory,
    OutboxWriter outbox,
    IOptions<RoutingOptions> routing,
    TimeProvider clock,
    ILogger<SpecialistCopies> log)
{
    private const string Culture = "vi";

    // A missing unit is a configuration mistake: said once per process, not on every tip.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Warned = new(StringComparer.Ordinal);

    /// <summary>Writes the copies as outbox rows (once per tip and officer) and returns the new rows' ids for the caller to send.</summary>
    public async Task<IReadOnlyList<Guid>> WriteAsync(TipRecord tip, CancellationToken ct)
    {
        if (!routing.Value.Specialists.TryGetValue(tip.Category, out var codes) || codes.Length == 0) return [];
        var units = await directory.GetAsync(ct);
        var written = new List<Guid>();
        foreach (var code in codes.Distinct(StringComparer.Ordinal))
        {
            var unit = units.FindUnit(code);
            var officers = units.OfficersOf(code).ToList();
            if (unit is null || officers.Count == 0)
            {
                if (Warned.TryAdd(code, true))
                    log.LogWarning("Routing:Specialists names unit {Unit} for {Category}, but the directory has no such unit or no officer in it", code, tip.Category);
                continue;
            }
            var desk = officers.Where(o => o.Role == OfficerRole.DutyDesk).ToList();
            var copy = Copy(tip, units);
            foreach (var officer in desk.Count > 0 ? desk : officers)
            {
                if (await outbox.AddAsync(db, $"inform:{tip.Id:N}:{officer.Id}", new ChatAddress(officer.Channel, officer.ChatId), copy, ct) is { } id)
                    written.Add(id);
            }
            if (!await db.TipEvents.AnyAsync(e => e.TipId == tip.Id && e.Kind == "informed" && e.Detail == code, ct))
            {
                db.TipEvents.Add(new TipEventRecord { TipId = tip.Id, Kind = "informed", At = clock.GetUtcNow().UtcDateTime, Detail = code });
                await db.SaveChangesAsync(ct);
            }
        }
        return written;
    }

    private static Reply Copy(TipRecord tip, UnitDirectory units)
    {
        var place = units.FindUnit(tip.UnitCode)?.Name ?? tip.PlaceText ?? Texts.Get(Culture, "NotKnown");
        return new Reply(Texts.Format(Culture, "SpecialistCopy",
            tip.Code,
            tip.Urgent ? Texts.Get(Culture, "OfficerAlertUrgent") : "",
            Categories.Get(tip.Category).Name(Culture),
            place,
            tip.TimeText ?? Texts.Get(Culture, "NotKnown"),
            tip.Description));
    }
}
