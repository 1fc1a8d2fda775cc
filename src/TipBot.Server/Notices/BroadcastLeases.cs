using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using TipBot.Server.Outbox;
using TipBot.Server.Persistence;

namespace TipBot.Server.Notices;

/// <summary>
/// The leases one broadcast worker holds on its claimed deliveries, renewed in the background every
/// fifth of <see cref="BroadcastOptions.ClaimLease"/> (one UPDATE of ClaimedAt for all its claim
/// tokens). If renewing fails for 60 % of the lease, <see cref="Holds"/> turns false and the worker
/// stops sending those rows: by the time another worker may take them, this one has let go.
/// </summary>
public sealed class Leases : IAsyncDisposable
{
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _lease;
    private readonly Guid _noticeId;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<Guid, DateTime> _heldSince = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;
    private long _renewedAtTicks;

    public Leases(IServiceScopeFactory scopes, TimeProvider clock, TimeSpan lease, Guid noticeId, ILogger log)
    {
        (_scopes, _clock, _lease, _noticeId, _log) = (scopes, clock, lease, noticeId, log);
        _renewing = RenewAsync(_stop.Token);
    }

    /// <summary>Every claim token this worker used.</summary>
    public IReadOnlyList<Guid> Tokens => [.. _heldSince.Keys];

    public void Claimed(Guid token, DateTime at) => _heldSince[token] = at;

    /// <summary>Whether this worker can be sure its lease for these rows still holds.</summary>
    public bool Holds(Guid token)
    {
        if (!_heldSince.TryGetValue(token, out var claimed)) return false;
        var renewed = new DateTime(Interlocked.Read(ref _renewedAtTicks), DateTimeKind.Utc);
        var since = claimed > renewed ? claimed : renewed;
        return _clock.GetUtcNow().UtcDateTime - since < _lease * 0.6;
    }

    private async Task RenewAsync(CancellationToken stop)
    {
        var every = _lease / 5;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, _clock, stop);
                var tokens = Tokens;
                if (tokens.Count == 0) continue;
                var now = _clock.GetUtcNow().UtcDateTime;
                await using var scope = _scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<TipBotDbContext>().NoticeDeliveries
                    .Where(d => d.NoticeId == _noticeId && d.Status == DeliveryStatus.Pending && d.ClaimedAt != null
                        && d.ClaimToken != null && tokens.Contains(d.ClaimToken.Value))
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimedAt, now), stop);
                Interlocked.Exchange(ref _renewedAtTicks, now.Ticks);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _log.LogWarning("Renewing the broadcast claims of notice {NoticeId} failed: {Error}", _noticeId, e.GetType().Name);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewing;
        _stop.Dispose();
    }
}

/// <summary>
/// Marks deliveries sent, group-commit style: a send adds its id and goes on; one writer turns
/// whatever has gathered into a single UPDATE … WHERE Id IN (…) as soon as the previous one is done.
/// A quiet broadcast writes each mark at once (as before, one round trip after the send); at 1,000
/// messages a second a mark waits for the statement in progress and its own, during which a crash
/// would send those messages again on resume — about the window of one UPDATE per message, for a
/// fraction of the statements. <see cref="Writers"/> statements run at once, so on a slow database
/// a mark waits a fraction of a round trip for a free writer rather than a whole one. Marks are
/// retried like every record of a send (<see cref="AfterSend"/>).
/// </summary>
public sealed class SentMarks : IAsyncDisposable
{
    private const int MaxPerStatement = 1000;
    private const int Writers = 4;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly System.Threading.Channels.Channel<long> _ids = System.Threading.Channels.Channel.CreateUnbounded<long>();
    private readonly Task _writing;
    private readonly Lock _gate = new();
    private int _pending;
    // Completed whenever no mark is waiting to be written; a new one is made when the first arrives.
    private TaskCompletionSource _drained = Drained();

    public SentMarks(IServiceScopeFactory scopes, TimeProvider clock, ILogger log)
    {
        (_scopes, _clock, _log) = (scopes, clock, log);
        _writing = Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteAsync)));
    }

    public void Sent(long deliveryId)
    {
        lock (_gate)
        {
            if (_pending++ == 0) _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        _ids.Writer.TryWrite(deliveryId);
    }

    /// <summary>Waits until every mark given so far is written.</summary>
    public async Task FlushAsync()
    {
        Task drained;
        lock (_gate) drained = _drained.Task;
        await Task.WhenAny(drained, _writing);
        if (_writing.IsFaulted) await _writing;
    }

    private static TaskCompletionSource Drained()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }

    private async Task WriteAsync()
    {
        var batch = new List<long>(MaxPerStatement);
        while (await _ids.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxPerStatement && _ids.Reader.TryRead(out var id)) batch.Add(id);
            if (batch.Count == 0) continue; // another writer took them
            var ids = batch.ToArray();
            await AfterSend.RecordAsync(async () =>
            {
                await using var scope = _scopes.CreateAsyncScope();
                var now = _clock.GetUtcNow().UtcDateTime;
                await scope.ServiceProvider.GetRequiredService<TipBotDbContext>().NoticeDeliveries.Where(d => ids.Contains(d.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Sent).SetProperty(d => d.SentAt, now), CancellationToken.None);
            }, _log, $"{ids.Length} notice deliver{(ids.Length == 1 ? "y" : "ies")}");
            lock (_gate)
            {
                _pending -= ids.Length;
                if (_pending == 0) _drained.TrySetResult();
            }
            batch.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _ids.Writer.TryComplete();
        await _writing;
    }
}
