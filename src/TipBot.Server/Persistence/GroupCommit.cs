using Microsoft.EntityFrameworkCore;

namespace TipBot.Server.Persistence;

/// <summary>
/// Writes that meet are committed together: the first is written at once, and those that arrive
/// while it is being written wait for it — as they would wait for SQLite's one writer anyway — and
/// go together in the next write, one transaction, all or nothing. A write never waits for company,
/// and each caller returns once its own write is committed; one write's failure is its caller's
/// alone (the others are written again, each alone). Under load this turns many commits, each a
/// turn at the writer and a flush of the disk, into few (docs/benchmarks.md, thirteenth session).
/// </summary>
/// <param name="maxWrites">A bound on one write's size, and so on how long its first caller writes for the others.</param>
public abstract class GroupCommit(IServiceScopeFactory scopes, int maxWrites)
{
    private readonly Lock _lock = new();
    private readonly Queue<Waiting> _waiting = new();
    // Whether some caller is writing or about to: it takes the queue's head, up to maxWrites.
    private bool _writing;

    /// <summary>Writes waiting for the one being written (for tests).</summary>
    internal int Queued
    {
        get
        {
            lock (_lock) return _waiting.Count;
        }
    }

    /// <summary>
    /// Writes the changes <paramref name="write"/> describes, with any others waiting; it is called
    /// again for each attempt. <paramref name="doneIfGone"/>: a row that no longer exists (an update
    /// of nothing) counts as written.
    /// </summary>
    public async Task WriteAsync(Action<RowChanges> write, bool doneIfGone = false)
    {
        var mine = new Waiting(write, doneIfGone);
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
            await mine.Done.Task; // rethrows our write's failure
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
            while (batch.Count < maxWrites && _waiting.TryDequeue(out var waiting)) batch.Add(waiting);
        }
        try
        {
            await WriteGroupAsync(batch);
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

    private async Task WriteGroupAsync(List<Waiting> batch)
    {
        try
        {
            await SaveAsync(batch);
            foreach (var written in batch) written.Done.TrySetResult();
        }
        catch (Exception) when (batch.Count > 1)
        {
            // One write's own failure (a row gone, a key taken) must not fail the others: each alone, once.
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

    private async Task SaveAsync(List<Waiting> writes)
    {
        var changes = new RowChanges();
        foreach (var waiting in writes) waiting.Write(changes);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TipBotDbContext>();
        try
        {
            // On PostgreSQL one batch, one implicit transaction, all or nothing: a row to update that
            // is gone fails them all, and each is written again alone.
            if (db is PostgresTipBotDbContext && await PostgresWrites.TryWriteAsync(db, changes, CancellationToken.None)) return;
            changes.AddTo(db);
            // Several in EF's transaction, for the same all or nothing: without it PostgreSQL's
            // one-batch save would commit the others' rows beside an update of a row gone (an
            // error to EF, not to the server).
            if (writes.Count == 1) await db.SaveChangesInOneBatchAsync(CancellationToken.None);
            else await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateConcurrencyException) when (writes is [{ DoneIfGone: true }])
        {
            // The row is gone, which the caller said leaves nothing to write.
        }
    }

    private sealed record Waiting(Action<RowChanges> Write, bool DoneIfGone)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        // This caller writes next.
        public TaskCompletionSource Turn { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
