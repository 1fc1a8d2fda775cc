using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tips;

/// <summary>
/// Each officer's open tips and when they were last given one, for routing's balance and
/// round-robin. Counting them took PostgreSQL a scan of the officer's whole assignment history on
/// every tip (most of its CPU under load, and more with every tip ever received), so an officer's
/// figures are read at most every <see cref="MaxAge"/> and counted forward here by this node's
/// own assignments in between. Another node's assignments, and tips closed meanwhile, show within
/// MaxAge: routing balances by figures a few seconds old, which moves no tip to a wrong place.
/// </summary>
/// <remarks>
/// A burst of tips for one ward (a fire, a flood) piles open tips on its officers. Two things keep
/// that from slowing routing down (docs/benchmarks.md, eleventh session: one officer with 25,000
/// open tips made the count take 0.45–1.2 s, every routing that found it old ran it at once, and
/// residents' replies waited behind PostgreSQL): open tips are counted up to <see cref="CountCap"/>,
/// beyond which officers are equally swamped and take turns; and old figures are read again by one
/// routing at a time while the others route by the figures they have.
/// </remarks>
public sealed class OfficerLoads(TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    public const int CountCap = 200;
    private static readonly string[] OpenStatuses = [TipStatus.Received, TipStatus.Assigned, TipStatus.Accepted];

    // Compiled once: extracting a LINQ query's parameters and finding it in EF's cache cost more
    // CPU than running it (docs/benchmarks.md, third session). Per officer, so that the newest
    // assignments are read first (index officer, created) and the count stops at the cap.
    private static readonly PerModel<Func<TipBotDbContext, List<string>, IAsyncEnumerable<Counted>>> Count = new(() => EF.CompileAsyncQuery(
        (TipBotDbContext db, List<string> officers) => db.Officers.AsNoTracking().Where(o => officers.Contains(o.Id))
            .Select(o => new Counted(
                o.Id,
                db.Assignments
                    .Where(a => a.OfficerId == o.Id && (a.Status == AssignmentStatus.Alerted || a.Status == AssignmentStatus.Accepted)
                        && db.Tips.Any(t => t.Id == a.TipId && OpenStatuses.Contains(t.Status)))
                    .OrderByDescending(a => a.CreatedAt).Take(CountCap).Count(),
                db.Assignments.Where(a => a.OfficerId == o.Id).Max(a => (DateTime?)a.CreatedAt)))));

    private sealed record Counted(string OfficerId, int Open, DateTime? LastAssignedAt);

    private sealed record Load(int Open, DateTimeOffset? LastAssignedAt, DateTimeOffset ReadAt);

    private readonly ConcurrentDictionary<string, Load> _loads = new(StringComparer.Ordinal);
    // Officers whose old figures one routing is reading again.
    private readonly ConcurrentDictionary<string, byte> _reading = new(StringComparer.Ordinal);

    public async Task<(Dictionary<string, int> Open, Dictionary<string, DateTimeOffset> LastAssigned)> GetAsync(
        TipBotDbContext db, IReadOnlyCollection<string> officers, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<string> toRead = [], claimed = [];
        foreach (var id in officers)
        {
            if (!_loads.TryGetValue(id, out var load)) toRead.Add(id); // nothing to route by yet
            else if (now - load.ReadAt >= MaxAge && _reading.TryAdd(id, 0))
            {
                toRead.Add(id);
                claimed.Add(id);
            }
        }
        if (toRead.Count > 0)
        {
            try
            {
                var counted = new Dictionary<string, Counted>(StringComparer.Ordinal);
                await foreach (var officer in Count.For(db)(db, toRead).WithCancellation(ct)) counted[officer.OfficerId] = officer;
                foreach (var id in toRead)
                    _loads[id] = counted.TryGetValue(id, out var c)
                        ? new Load(c.Open, c.LastAssignedAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null, now)
                        : new Load(0, null, now);
            }
            finally
            {
                foreach (var id in claimed) _reading.TryRemove(id, out _);
            }
        }
        return Figures(officers);
    }

    /// <summary>
    /// The figures as they are, without reading: false when any officer has none yet or only old
    /// ones. For a resident's turn (<see cref="FirstAssignment"/>), which must not wait for a count.
    /// </summary>
    public bool TryGetFresh(IReadOnlyCollection<string> officers, out Dictionary<string, int> open, out Dictionary<string, DateTimeOffset> last)
    {
        var now = clock.GetUtcNow();
        var fresh = officers.All(id => _loads.TryGetValue(id, out var load) && now - load.ReadAt < MaxAge);
        (open, last) = fresh ? Figures(officers) : ([], []);
        return fresh;
    }

    private (Dictionary<string, int> Open, Dictionary<string, DateTimeOffset> LastAssigned) Figures(IEnumerable<string> officers)
    {
        var open = new Dictionary<string, int>(StringComparer.Ordinal);
        var last = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var id in officers)
        {
            if (!_loads.TryGetValue(id, out var load)) continue;
            if (load.Open > 0) open[id] = load.Open;
            if (load.LastAssignedAt is { } at) last[id] = at;
        }
        return (open, last);
    }

    /// <summary>This node just gave <paramref name="officerId"/> a tip: counted until the next read.</summary>
    public void Assigned(string officerId, DateTime at)
    {
        var when = new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc));
        _loads.AddOrUpdate(officerId, _ => new Load(1, when, DateTimeOffset.MinValue),
            (_, load) => load with { Open = load.Open + 1, LastAssignedAt = when });
    }
}
