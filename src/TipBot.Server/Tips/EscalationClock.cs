using Microsoft.EntityFrameworkCore;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tips;

/// <summary>
/// Escalates alerts whose acknowledgement time is up. The assignment's EscalateAt is the timer:
/// every node looks for due ones each <see cref="Poll"/> (an indexed read, as Hangfire's own
/// scheduler polls its delayed jobs) and runs <see cref="EscalateJob"/> for them in process. A
/// Hangfire delayed job per alert cost every tip a job's bookkeeping in Redis, though most alerts
/// are accepted in time. Two nodes may pick the same assignment: EscalateJob moves a tip once.
/// </summary>
public sealed class EscalationClock(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, TimeProvider clock, ILogger<EscalationClock> log) : BackgroundService
{
    public static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private const int Batch = 100;
    // An escalation that failed is tried again this much later, not on every poll.
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not before the start-up tasks (migrations) are done.
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled()))
        {
            try { await started.Task; }
            catch (OperationCanceledException) { return; }
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            var due = 0;
            var pause = Poll;
            try
            {
                due = await EscalateDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database is down or restarting: a warning every few seconds, not every second.
                log.LogWarning("Looking for alerts to escalate failed ({Error}); trying again shortly", e.GetType().Name);
                pause = 5 * Poll;
            }
            try
            {
                if (due < Batch) await Task.Delay(pause, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<int> EscalateDueAsync(CancellationToken ct)
    {
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TipBotDbContext>();
            var now = clock.GetUtcNow().UtcDateTime;
            due = await db.Assignments.AsNoTracking()
                .Where(a => a.Status == AssignmentStatus.Alerted && a.EscalateAt != null && a.EscalateAt <= now)
                .OrderBy(a => a.EscalateAt).Select(a => a.Id).Take(Batch).ToListAsync(ct);
        }
        foreach (var id in due) await EscalateAsync(id, ct);
        return due.Count;
    }

    private async Task EscalateAsync(Guid assignmentId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            await scope.ServiceProvider.GetRequiredService<EscalateJob>().RunAsync(assignmentId, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Escalating assignment {AssignmentId} failed ({Error}); trying again in {Retry}", assignmentId, e.GetType().Name, RetryAfterFailure);
            var db = scope.ServiceProvider.GetRequiredService<TipBotDbContext>();
            var later = clock.GetUtcNow().UtcDateTime + RetryAfterFailure;
            try
            {
                await db.Assignments.Where(a => a.Id == assignmentId && a.Status == AssignmentStatus.Alerted)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.EscalateAt, later), ct);
            }
            catch (Exception retry) when (retry is not OperationCanceledException)
            {
                log.LogWarning("Postponing assignment {AssignmentId}'s escalation failed too ({Error})", assignmentId, retry.GetType().Name);
            }
        }
    }
}
