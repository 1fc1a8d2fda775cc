using Hangfire;
using Microsoft.EntityFrameworkCore;
using TipBot.Server.Persistence;

namespace TipBot.Server.Notices;

/// <summary>
/// At start-up, every notice still sending gets a worker per channel with pending deliveries, at
/// once: the previous process may have been killed mid-fan-out, and its Hangfire job comes back
/// only after the queue's invisibility timeout (Redis, 5 min) or never (in-memory). No grace and no
/// look at the leases, unlike the sweep: a worker that finds the rows leased by someone else waits
/// for one lease to run out and leaves if it is renewed (<see cref="BroadcastJob.SendAsync"/>), so
/// an extra one beside a live worker costs nothing.
/// </summary>
public sealed class BroadcastResume(TipBotDbContext db, IBackgroundJobClient jobs, ILogger<BroadcastResume> log)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var work = await db.NoticeDeliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Pending && db.Notices.Any(n => n.Id == d.NoticeId && n.Status == NoticeStatus.Sending))
            .Select(d => new { d.NoticeId, d.Channel }).Distinct().ToListAsync(ct);
        foreach (var w in work) jobs.Enqueue<BroadcastJob>(j => j.SendAsync(w.NoticeId, w.Channel, CancellationToken.None));
        if (work.Count > 0) log.LogInformation("Resuming {Count} broadcast(s) left sending by the previous process", work.Count);
        return work.Count;
    }
}
