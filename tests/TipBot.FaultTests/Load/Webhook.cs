using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace TipBot.FaultTests.Load;

/// <summary>One answer (or failure) to one webhook delivery attempt.</summary>
public sealed record DeliveryAttempt(DateTime At, string Node, string Outcome, double Seconds);

/// <summary>
/// Delivers updates to the server nodes in rotation, as Telegram does: an update that got no 200
/// (an error, a refused connection, no answer within the timeout) is delivered again, the same
/// update, until it gets its 200 or the bounded time per update runs out.
/// </summary>
public sealed class Webhook(Func<IReadOnlyList<Infrastructure.ServerNode>> rotation, string secret, TimeSpan requestTimeout, TimeSpan giveUpAfter)
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30), ConnectTimeout = TimeSpan.FromSeconds(2) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
    private readonly ConcurrentQueue<DeliveryAttempt> _attempts = new();

    public IReadOnlyList<DeliveryAttempt> Attempts => _attempts.ToArray();

    public int Redeliveries;

    /// <summary>True once a node answered 200; false if every attempt failed until the time per update ran out.</summary>
    public async Task<bool> DeliverAsync(string json, CancellationToken stop)
    {
        var deadline = DateTime.UtcNow + giveUpAfter;
        for (var attempt = 1; DateTime.UtcNow < deadline && !stop.IsCancellationRequested; attempt++)
        {
            if (attempt > 1) Interlocked.Increment(ref Redeliveries);
            var nodes = rotation();
            var node = nodes[Random.Shared.Next(nodes.Count)];
            var started = DateTime.UtcNow;
            string outcome;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{node.Url}/webhooks/telegram") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
                request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                timeout.CancelAfter(requestTimeout);
                using var response = await _http.SendAsync(request, timeout.Token);
                outcome = ((int)response.StatusCode).ToString();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    _attempts.Enqueue(new DeliveryAttempt(started, node.Name, outcome, (DateTime.UtcNow - started).TotalSeconds));
                    return true;
                }
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                outcome = "timeout";
            }
            catch (HttpRequestException e)
            {
                outcome = e.HttpRequestError == HttpRequestError.ConnectionError ? "refused" : "reset";
            }
            catch (OperationCanceledException)
            {
                return false;
            }
            _attempts.Enqueue(new DeliveryAttempt(started, node.Name, outcome, (DateTime.UtcNow - started).TotalSeconds));
            // Telegram backs off between redeliveries; ours is short so that a run stays short.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(200 * attempt, 2000) + Random.Shared.Next(200)), CancellationToken.None);
        }
        return false;
    }
}
