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
public sealed class OfficerLoads(TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);
    private static readonly string[] OpenStatuses = [TipStatus.Received, TipStatus.Assigned, TipStatus.Accepted];

    // Compiled once: extracting a LINQ query's parameters and finding it in EF's cache cost more
    // CPU than running it (docs/benchmarks.md, third session).
    private static readonly PerModel<Func<TipBotDbContext, List<string>, IAsyncEnumerable<Counted>>> Count = new(() => EF.CompileAsyncQuery(
        (TipBotDbContext db, List<string> officers) => db.Assignments.AsNoTracking().Where(a => officers.Contains(a.OfficerId))
            .GroupBy(a => a.OfficerId)
            .Select(g => new Counted(
                g.Key,
                g.Count(a => (a.Status == AssignmentStatus.Alerted || a.Status == AssignmentStatus.Accepted)
                    && db.Tips.Any(t => t.Id == a.TipId && OpenStatuses.Contains(t.Status))),
                g.Max(a => a.CreatedAt)))));

    private sealed record Counted(string OfficerId, int Open, DateTime LastAssignedAt);

    private sealed record Load(int Open, DateTimeOffset? LastAssignedAt, DateTimeOffset ReadAt);

    private readonly ConcurrentDictionary<string, Load> _loads = new(StringComparer.Ordinal);

    public async Task<(Dictionary<string, int> Open, Dictionary<string, DateTimeOffset> LastAssigned)> GetAsync(
        TipBotDbContext db, IReadOnlyCollection<string> officers, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var stale = officers.Where(o => !_loads.TryGetValue(o, out var load) || now - load.ReadAt >= MaxAge).ToList();
        if (stale.Count > 0)
        {
            var counted = new Dictionary<string, Counted>(StringComparer.Ordinal);
            await foreach (var officer in Count.For(db)(db, stale).WithCancellation(ct)) counted[officer.OfficerId] = officer;
            foreach (var id in stale)
                _loads[id] = counted.TryGetValue(id, out var c)
                    ? new Load(c.Open, new DateTimeOffset(DateTime.SpecifyKind(c.LastAssignedAt, DateTimeKind.Utc)), now)
                    : new Load(0, null, now);
        }
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
