using TipBot.Server.Persistence;

namespace TipBot.Server.Outbox;

/// <summary>
/// Records finished sends — an officer's alert, an outbox row — several in one write. Under load
/// sends finish faster than their marks can be written one at a time: on the embedded store each
/// mark was a SQLite transaction of its own, most of what the one writer did after a tip's
/// submission (docs/benchmarks.md, thirteenth session). Marks that arrive while one is being written
/// wait for it to finish, as they would have waited for SQLite's writer anyway, and go together in
/// the next write, all or nothing; a mark never waits for company. A caller returns once its own
/// mark is committed, so the window in which a crash repeats a send is still the send and its mark.
/// </summary>
public sealed class MarkWriter(IServiceScopeFactory scopes)
{
    // A bound on one write's size and on how long its first caller writes for the others.
    private const int MaxMarks = 16;

    private readonly Lock _lock = new();
    private readonly Queue<Waiting> _waiting = new();
    // Whether some caller is writing or about to: it takes the queue's head, up to MaxMarks.
    private bool _writing;

    /// <summary>
    /// Writes the changes <paramref name="mark"/> adds to a context, with any others waiting.
    /// <paramref name="doneIfGone"/>: a row that no longer exists (an update of nothing) counts as recorded.
    /// </summary>
    public async Task RecordAsync(Action<TipBotDbContext> mark, bool doneIfGone = false)
    {
        var mine = new Waiting(mark, doneIfGone);
        bool lead;
        lock (_lock)
        {
            _waiting.Enqueue(mine);
            lead = !_writing;
            _writing = true;
        }
        // Written by whoever wrote before us, or handed the next write: ours is then at its head.
        if (!lead && await Task.WhenAny(mine.Done.Task, mine.Turn.Task) == mine.Done.Task)
        {
            await mine.Done.Task; // rethrows our mark's failure
            return;
        }
        await WriteNextAsync();
        await mine.Done.Task;
    }

    private async Task WriteNextAsync()
    {
        List<Waiting> batch = [];
        lock (_lock)
        {
            while (batch.Count < MaxMarks && _waiting.TryDequeue(out var waiting)) batch.Add(waiting);
        }
        try
        {
            await WriteAsync(batch);
        }
        finally
        {
            Waiting? next;
            lock (_lock)
            {
                _writing = _waiting.TryPeek(out next);
            }
            next?.Turn.TrySetResult();
        }
    }

    private async Task WriteAsync(List<Waiting> batch)
    {
        try
        {
            await SaveAsync(batch);
            foreach (var written in batch) written.Done.TrySetResult();
        }
        catch (Exception) when (batch.Count > 1)
        {
            // One mark's own failure (its row gone) must not fail the others: each alone, once.
            foreach (var waiting in batch)
            {
                try
                {
                    await SaveAsync([waiting]);
                    waiting.Done.TrySetResult();
                }
                catch (Exception e)
                {
                    waiting.Done.TrySetException(e);
                }
            }
        }
        catch (Exception e)
        {
            batch[0].Done.TrySetException(e);
        }
    }

    private async Task SaveAsync(List<Waiting> marks)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TipBotDbContext>();
        foreach (var waiting in marks) waiting.Mark(db);
        try
        {
            // Several in EF's transaction: PostgreSQL's one-batch write commits what succeeded, and an
            // update of a row gone (an error to EF, not to the server) would leave the others' events
            // committed before each is written again alone.
            if (marks.Count == 1) await db.SaveChangesInOneBatchAsync(CancellationToken.None);
            else await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException) when (marks is [{ DoneIfGone: true }])
        {
            // The row is gone (only sent rows are ever deleted): nothing left to record.
        }
    }

    private sealed record Waiting(Action<TipBotDbContext> Mark, bool DoneIfGone)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // This caller writes next.
        public TaskCompletionSource Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
