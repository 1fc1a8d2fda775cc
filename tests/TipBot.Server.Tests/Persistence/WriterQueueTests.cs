using TipBot.Server.Persistence;

namespace TipBot.Server.Tests.Persistence;

/// <summary>
/// The embedded store's writers take turns: those finishing accepted work (routing, alerts) before
/// those of new work (a resident's message), each in order of arrival; one that gives up waiting
/// passes its turn on.
/// </summary>
public sealed class WriterQueueTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Accepted_works_writers_go_first_then_new_works_each_in_order()
    {
        var queue = new WriterQueue();
        Assert.True(await queue.WaitAsync(newWork: false, Long, CancellationToken.None));
        var order = new List<string>();
        Task Writer(string name, bool newWork) => queue.WaitAsync(newWork, Long, CancellationToken.None).ContinueWith(t =>
        {
            lock (order) order.Add(name);
            Assert.True(t.Result);
            queue.Release();
        }, TaskScheduler.Default);

        var writers = new[] { Writer("new 1", true), Writer("accepted 1", false), Writer("new 2", true), Writer("accepted 2", false) };
        queue.Release();
        await Task.WhenAll(writers).WaitAsync(Long);

        Assert.Equal(["accepted 1", "accepted 2", "new 1", "new 2"], order);
    }

    [Fact]
    public async Task A_writer_that_gives_up_waiting_passes_its_turn_on()
    {
        var queue = new WriterQueue();
        Assert.True(await queue.WaitAsync(newWork: false, Long, CancellationToken.None));

        Assert.False(await queue.WaitAsync(newWork: false, TimeSpan.FromMilliseconds(50), CancellationToken.None));
        using var cancelled = new CancellationTokenSource();
        var cancelledWriter = queue.WaitAsync(newWork: true, Long, cancelled.Token);
        var next = queue.WaitAsync(newWork: true, Long, CancellationToken.None);
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelledWriter);

        queue.Release();
        Assert.True(await next.WaitAsync(Long));
        queue.Release();
        Assert.True(await queue.WaitAsync(newWork: true, TimeSpan.Zero, CancellationToken.None)); // free again
    }
}
