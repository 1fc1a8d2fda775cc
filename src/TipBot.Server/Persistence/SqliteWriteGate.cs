using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace TipBot.Server.Persistence;

/// <summary>
/// Writers of the embedded SQLite database take turns in process. SQLite has one writer at a
/// time, and its own wait (<see cref="SqliteBusyTimeout"/>) sleeps on the calling thread and
/// retries after growing pauses: under a burst of tips the writers held pool threads asleep and an
/// unlucky one waited seconds while later ones took the lock (docs/benchmarks.md, eleventh
/// session). A write — a transaction, or a single INSERT, UPDATE or DELETE outside one — first
/// waits here for its turn without holding a thread. Writes of a chat turn (a resident's new tip,
/// an officer's button; <see cref="WriteOrder.NewWork"/>) give way to writes of the work behind
/// them (routing, alerts, jobs and the outbox's sends): in plain order, a burst made alerts trail
/// by seconds behind a queue of new submissions. SQLite's own wait stays for other processes (the CLI) and for a turn not given
/// within <see cref="MaxWait"/>, after which the writer goes ahead as before.
/// </summary>
public sealed class SqliteWriteGate : IDbTransactionInterceptor, IDbCommandInterceptor, IDbConnectionInterceptor
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);

    private readonly WriterQueue _turn = new();
    // The connection whose turn it is, if any.
    private DbConnection? _holder;

    // The transaction is begun here, not by EF: when BEGIN fails (another process kept the lock
    // past its timeout, a full disk) EF raises no event and a pooled context closes its connection
    // unseen, so the turn would never come back.
    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        await TakeAsync(connection, cancellationToken);
        try
        {
            return InterceptionResult<DbTransaction>.SuppressWithResult(await connection.BeginTransactionAsync(eventData.IsolationLevel, cancellationToken));
        }
        catch
        {
            Give(connection);
            throw;
        }
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Take(connection);
        try
        {
            return InterceptionResult<DbTransaction>.SuppressWithResult(connection.BeginTransaction(eventData.IsolationLevel));
        }
        catch
        {
            Give(connection);
            throw;
        }
    }

    /// <summary>Writers holding a turn now: 0 or 1.</summary>
    internal int Holders => Volatile.Read(ref _holder) is null ? 0 : 1;

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Give(eventData);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) => Given(eventData);

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Give(eventData);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) => Given(eventData);

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Give(eventData);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default) => Given(eventData);

    public async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await TakeForAsync(command, cancellationToken);
        return result;
    }

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        TakeFor(command);
        return result;
    }

    // An INSERT … RETURNING holds SQLite's lock until its reader is done with.
    public InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        GiveFor(command);
        return result;
    }

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await TakeForAsync(command, cancellationToken);
        return result;
    }

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        TakeFor(command);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        GiveFor(command);
        return ValueTask.FromResult(result);
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        GiveFor(command);
        return result;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => GiveFor(command);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        CommandFailed(command, eventData);
        return Task.CompletedTask;
    }

    public void CommandCanceled(DbCommand command, CommandEndEventData eventData) => GiveFor(command);

    public Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        CommandCanceled(command, eventData);
        return Task.CompletedTask;
    }

    // Whatever went wrong on the way (a transaction disposed without commit or rollback), a closed
    // connection writes nothing more.
    public InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Give(connection);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Give(connection);
        return ValueTask.FromResult(result);
    }

    private async Task TakeForAsync(DbCommand command, CancellationToken ct)
    {
        if (IsWriteOutsideTransaction(command)) await TakeAsync(command.Connection!, ct);
    }

    private void TakeFor(DbCommand command)
    {
        if (IsWriteOutsideTransaction(command)) Take(command.Connection!);
    }

    private void GiveFor(DbCommand command)
    {
        if (IsWriteOutsideTransaction(command)) Give(command.Connection);
    }

    private async Task TakeAsync(DbConnection connection, CancellationToken ct)
    {
        if (Volatile.Read(ref _holder) == connection) return;
        if (await _turn.WaitAsync(WriteOrder.IsNewWork, MaxWait, ct)) Volatile.Write(ref _holder, connection);
    }

    private void Take(DbConnection connection)
    {
        if (Volatile.Read(ref _holder) == connection) return;
        if (_turn.WaitAsync(WriteOrder.IsNewWork, MaxWait, CancellationToken.None).GetAwaiter().GetResult()) Volatile.Write(ref _holder, connection);
    }

    private void Give(DbConnection? connection)
    {
        if (connection is not null && Interlocked.CompareExchange(ref _holder, null, connection) == connection) _turn.Release();
    }

    private void Give(TransactionEventData eventData) => Give(eventData.Context?.Database.GetDbConnection());

    private Task Given(TransactionEventData eventData)
    {
        Give(eventData);
        return Task.CompletedTask;
    }

    private static bool IsWriteOutsideTransaction(DbCommand command) =>
        command.Transaction is null && command.CommandText.AsSpan().TrimStart() is var sql
        && (sql.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) || sql.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
            || sql.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase) || sql.StartsWith("REPLACE", StringComparison.OrdinalIgnoreCase));
}

/// <summary>One writer at a time: accepted work's writers first, then new work's, each in order of arrival.</summary>
internal sealed class WriterQueue
{
    private readonly object _sync = new();
    private readonly Queue<TaskCompletionSource<bool>> _accepted = new(), _new = new();
    private bool _taken;

    /// <summary>True once it is this writer's turn; false after <paramref name="maxWait"/>.</summary>
    public async Task<bool> WaitAsync(bool newWork, TimeSpan maxWait, CancellationToken ct)
    {
        TaskCompletionSource<bool> waiter;
        lock (_sync)
        {
            if (!_taken)
            {
                _taken = true;
                return true;
            }
            waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            (newWork ? _new : _accepted).Enqueue(waiter);
        }
        try
        {
            return await waiter.Task.WaitAsync(maxWait, ct);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Given up: a turn handed to it meanwhile goes to the next writer.
            if (!waiter.TrySetResult(false) && waiter.Task.Result) Release();
            if (e is OperationCanceledException) throw;
            return false;
        }
    }

    public void Release()
    {
        lock (_sync)
        {
            while (_accepted.TryDequeue(out var next) || _new.TryDequeue(out next))
                if (next.TrySetResult(true)) return;
            _taken = false;
        }
    }
}

/// <summary>
/// Which writes may wait: those for new work (a resident's message) give way to those that
/// finish work already accepted. Only the embedded SQLite store orders its writers
/// (<see cref="SqliteWriteGate"/>); PostgreSQL takes them all at once.
/// </summary>
public static class WriteOrder
{
    private static readonly AsyncLocal<bool> NewWorkFlag = new();

    public static bool IsNewWork => NewWorkFlag.Value;

    /// <summary>Marks the writes of the calling flow, until disposed, as new work.</summary>
    public static IDisposable NewWork()
    {
        NewWorkFlag.Value = true;
        return new Reset();
    }

    private sealed class Reset : IDisposable
    {
        public void Dispose() => NewWorkFlag.Value = false;
    }
}
