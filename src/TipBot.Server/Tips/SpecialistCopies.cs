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
    private const string InformedEvent = "informed";

    // A missing unit is a configuration mistake: said once per process, not on every tip.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Warned = new(StringComparer.Ordinal);

    /// <summary>
    /// Writes the copies not written before as outbox rows, with an "informed" event per unit, in
    /// one batch, and returns the new rows for the caller to send. <paramref name="claimed"/> rows
    /// are written claimed by the caller, who sends them at once; should it die first, the sweep
    /// sends them once the claim is stale (<see cref="SendOutboundJob.ClaimTimeout"/>).
    /// </summary>
    public async Task<IReadOnlyList<OutboxRecord>> WriteAsync(TipRecord tip, bool claimed, CancellationToken ct)
    {
        List<object> rows = [];
        var written = await AddAsync(tip, claimed, firstRun: false, rows, ct);
        try
        {
            await db.InsertInOneBatchAsync(rows, ct);
            return written;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // A concurrent run wrote them first: its rows are its to send.
            db.ChangeTracker.Clear();
            return [];
        }
    }

    /// <summary>
    /// Adds the copies and their events to <paramref name="rows"/> for the caller's save, and
    /// returns them: routing saves a tip's first copies with its first assignment, one batch for both. On
    /// the <paramref name="firstRun"/> there is nothing written before to look for; a concurrent
    /// run's rows are still caught by the keys.
    /// </summary>
    public async Task<IReadOnlyList<OutboxRecord>> AddAsync(TipRecord tip, bool claimed, bool firstRun, ICollection<object> rows, CancellationToken ct)
    {
        if (!routing.Value.Specialists.TryGetValue(tip.Category, out var codes) || codes.Length == 0) return [];
        var units = await directory.GetAsync(ct);
        var copies = new List<(string Unit, Officer Officer)>();
        foreach (var code in codes.Distinct(StringComparer.Ordinal))
        {
            var officers = units.OfficersOf(code).ToList();
            if (units.FindUnit(code) is null || officers.Count == 0)
            {
                if (Warned.TryAdd(code, true))
                    log.LogWarning("Routing:Specialists names unit {Unit} for {Category}, but the directory has no such unit or no officer in it", code, tip.Category);
                continue;
            }
            var desk = officers.Where(o => o.Role == OfficerRole.DutyDesk).ToList();
            copies.AddRange((desk.Count > 0 ? desk : officers).Select(o => (code, o)));
        }
        if (copies.Count == 0) return [];

        var done = firstRun ? [] : await WrittenBeforeAsync(tip, copies.Select(c => Key(tip, c.Officer)).ToList(), ct);

        var now = clock.GetUtcNow().UtcDateTime;
        var text = Copy(tip, units);
        var written = new List<OutboxRecord>();
        foreach (var (_, officer) in copies.Where(c => !done.Contains(Key(tip, c.Officer))))
        {
            var record = outbox.ToRecord(Key(tip, officer), new ChatAddress(officer.Channel, officer.ChatId), text);
            if (claimed) (record.ClaimedAt, record.Attempts) = (now, 1);
            written.Add(record);
        }
        foreach (var record in written) rows.Add(record);
        foreach (var unit in copies.Select(c => c.Unit).Distinct().Where(u => !done.Contains(u)))
            rows.Add(new TipEventRecord { TipId = tip.Id, Kind = InformedEvent, At = now, Detail = unit });
        return written;
    }

    /// <summary>
    /// Tips received in the hour before <paramref name="before"/>, routed, of a category with a
    /// specialist unit in the directory, and without an "informed" event: the routing process died
    /// between the tip's first assignment and its copies (a batch of their own, after the alert),
    /// and nothing else would write them. Older tips are left alone: a unit added to
    /// Routing:Specialists later is sent at most the last hour's tips, not a backlog.
    /// </summary>
    public async Task<List<Guid>> NeverInformedAsync(DateTime before, CancellationToken ct)
    {
        var units = await directory.GetAsync(ct);
        var categories = routing.Value.Specialists
            .Where(s => s.Value.Any(code => units.FindUnit(code) is not null && units.OfficersOf(code).Any()))
            .Select(s => s.Key).ToList();
        if (categories.Count == 0) return [];
        var since = before - RepairWindow;
        return await db.Tips.AsNoTracking()
            .Where(t => t.ReceivedAt < before && t.ReceivedAt >= since && t.Status != TipStatus.Received && categories.Contains(t.Category)
                && !db.TipEvents.Any(e => e.TipId == t.Id && e.Kind == InformedEvent))
            .OrderBy(t => t.ReceivedAt).Select(t => t.Id).Take(1000).ToListAsync(ct);
    }

    private static readonly TimeSpan RepairWindow = TimeSpan.FromHours(1);

    /// <summary>What a run before this one wrote already: its copies' keys and its units' events, in one look.</summary>
    private async Task<HashSet<string>> WrittenBeforeAsync(TipRecord tip, List<string> keys, CancellationToken ct)
    {
        // A tip has a handful of events: read by the tip's index and picked out here. Asking
        // PostgreSQL for the kind too made it combine the tip's index with the kind's, which grows
        // with every tip ever informed.
        var written = await db.Outbox.AsNoTracking().Where(o => keys.Contains(o.Key)).Select(o => new { Kind = OutboxRow, Key = (string?)o.Key })
            .Concat(db.TipEvents.AsNoTracking().Where(e => e.TipId == tip.Id).Select(e => new { e.Kind, Key = e.Detail }))
            .ToListAsync(ct);
        return written.Where(w => w.Kind is OutboxRow or InformedEvent && w.Key is not null).Select(w => w.Key!).ToHashSet(StringComparer.Ordinal);
    }

    private const string OutboxRow = "outbox";

    private static string Key(TipRecord tip, Officer officer) => $"inform:{tip.Id:N}:{officer.Id}";

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
