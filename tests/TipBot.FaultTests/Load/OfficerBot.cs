using System.Collections.Concurrent;
using TipBot.FaultTests.Infrastructure;

namespace TipBot.FaultTests.Load;

/// <summary>
/// The officers: every alert that reaches an officer's chat at the double is read, and every other
/// one (by assignment id, so the choice is the same however often the alert arrives) is accepted
/// with its Tiếp nhận button, redelivered until it gets its 200.
/// </summary>
public sealed class OfficerBot(TelegramDouble telegram, Webhook webhook)
{
    private static long _updateId = 5_000_000;
    private readonly ConcurrentDictionary<string, Task<bool>> _presses = new();
    private readonly HashSet<long> _officers = [.. TestDirectory.OfficerChats];

    public IReadOnlyDictionary<string, Task<bool>> Presses => _presses;

    public static bool WillAccept(string assignmentId) => Convert.ToInt32(assignmentId[^1..], 16) % 2 == 0;

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var message in telegram.Accepted.Where(m => _officers.Contains(m.ChatId)))
            {
                foreach (var (_, data) in message.Buttons.Where(b => b.Data.StartsWith("acc:", StringComparison.Ordinal)))
                {
                    var assignment = data["acc:".Length..];
                    if (!WillAccept(assignment) || _presses.ContainsKey(assignment)) continue;
                    var update = Updates.Button(Interlocked.Increment(ref _updateId), message.ChatId, 77, $"acc{assignment[..16]}", data);
                    _presses.TryAdd(assignment, Task.Run(() => webhook.DeliverAsync(update, stop)));
                }
            }
            try
            {
                await Task.Delay(250, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
