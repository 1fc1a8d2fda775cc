namespace TipBot.Server.Outbox;

/// <summary>
/// Recording that a message went out. The message is already with the platform, so giving up
/// would send it again once the claim expires: the write (idempotent) is retried for a few
/// seconds — long enough to ride out a database or Redis restart — before it is given up.
/// </summary>
public static class AfterSend
{
    private const int Attempts = 8;
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(2);

    public static async Task RecordAsync(Func<Task> write, ILogger log, string what)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await write();
                return;
            }
            catch (Exception e) when (attempt < Attempts && e is not OperationCanceledException)
            {
                log.LogWarning("Recording {What} as sent failed (attempt {Attempt}): {Error}", what, attempt, e.GetType().Name);
                var pause = TimeSpan.FromMilliseconds(200 * Math.Pow(2, attempt - 1));
                await Task.Delay(pause < LongestPause ? pause : LongestPause);
            }
        }
    }
}
