namespace TipBot.Server.Conversations;

/// <summary>Finishes turns whose effects were committed but not completed (the process died after the commit).</summary>
public sealed class PendingTurnSweep(IConversationStore store, TurnProcessor processor, TimeProvider clock, ILogger<PendingTurnSweep> log)
{
    public async Task<int> RunAsync(TimeSpan olderThan, CancellationToken ct)
    {
        var pending = await store.ListPendingAsync(clock.GetUtcNow() - olderThan, max: 500);
        foreach (var turn in pending)
        {
            try
            {
                await processor.FinishIfLeasedAsync(turn);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // Including the turn's own effects deadline: the other pending turns still get their go.
                log.LogWarning(e, "Pending turn {Delivery} not finished yet", turn.DeliveryKey);
            }
        }
        return pending.Count;
    }
}
