namespace TipBot.FaultTests.Load;

/// <summary>
/// A simulated resident: one complete tip conversation through the webhook (first message, then
/// the buttons), each update redelivered until it gets its 200, like Telegram does.
/// </summary>
public sealed class Resident(int index, long chatId)
{
    private static long _updateId = 900_000;

    public int Index { get; } = index;
    public long ChatId { get; } = chatId;
    public (string First, string[] Presses, long Officer) Script { get; } = TestDirectory.Scripts[index % TestDirectory.Scripts.Length];
    public int StepsDelivered { get; private set; }
    public bool Completed { get; private set; }
    public bool GaveUp { get; private set; }
    public DateTime? StartedAt { get; private set; }
    public DateTime? SentAt { get; private set; }
    public int Steps => 1 + Script.Presses.Length;

    public async Task RunAsync(Webhook webhook, CancellationToken stop)
    {
        // Fixed per step, so that a redelivery is the same update.
        var updates = new List<string> { Updates.Text(Interlocked.Increment(ref _updateId), ChatId, 1, Script.First) };
        for (var i = 0; i < Script.Presses.Length; i++)
            updates.Add(Updates.Button(Interlocked.Increment(ref _updateId), ChatId, 10 + i, $"q{ChatId}s{i}", Script.Presses[i]));

        StartedAt = DateTime.UtcNow;
        foreach (var update in updates)
        {
            if (!await webhook.DeliverAsync(update, stop))
            {
                GaveUp = !stop.IsCancellationRequested;
                return;
            }
            StepsDelivered++;
            await Task.Delay(Random.Shared.Next(50, 400), CancellationToken.None); // reading, pressing
        }
        SentAt = DateTime.UtcNow;
        Completed = true;
    }
}
