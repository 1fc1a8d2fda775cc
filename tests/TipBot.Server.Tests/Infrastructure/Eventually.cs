namespace TipBot.Server.Tests.Infrastructure;

/// <summary>Waits on a condition with a deadline, instead of sleeping for a fixed time.</summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        T value = await read();
        while (!done(value))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {seconds}s waiting for {what}");
            await Task.Delay(50);
            value = await read();
        }
        return value;
    }

    public static Task<T> Get<T>(Func<T> read, Func<T, bool> done, string what, int seconds = 20) =>
        Get(() => Task.FromResult(read()), done, what, seconds);
}
