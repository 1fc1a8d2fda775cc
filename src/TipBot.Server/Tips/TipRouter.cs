using System.Threading.Channels;
using Hangfire;
using Microsoft.Extensions.Options;
using TipBot.Server.Hosting;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tips;

/// <summary>
/// Sends a freshly recorded tip's alert and specialist copies in process, off the webhook's path,
/// routing it first when it was written alone: the tip's rows are the truth and this queue only a
/// means. A tip this process dies holding is still "received" (the sweep routes it through
/// Hangfire after Jobs:SweepGrace) or assigned with its alert claimed (the sweep sends it once the
/// claim is stale); a routing or alert failure here is handed to Hangfire at once, which owns
/// retries. So a tip pays for no Hangfire job at all when things go well.
/// </summary>
public sealed class TipRouter(IServiceScopeFactory scopes, IBackgroundJobClient jobs, IOptions<JobsOptions> options, ILogger<TipRouter> log) : BackgroundService
{
    // Enough for a burst; past it a tip goes to Hangfire instead of waiting here.
    private const int Capacity = 5_000;
    private readonly Channel<(Guid Id, TipRecord? Recorded, RoutedTip? Routed)> _tips = Channel.CreateBounded<(Guid, TipRecord?, RoutedTip?)>(new BoundedChannelOptions(Capacity) { SingleWriter = false });

    /// <summary>
    /// Whether a tip written with its assignment now will be sent from here. Past it the tip is
    /// written alone and routed through Hangfire: an alert claimed for this queue but not in it
    /// would wait for the sweep to find the claim stale.
    /// </summary>
    public bool HasRoom => _tips.Reader.Count < Capacity;

    /// <summary>
    /// Called once the tip's row is committed; <paramref name="recorded"/>, the row as written, saves
    /// reading it back, and <paramref name="routed"/> is its assignment when written with it.
    /// </summary>
    public void Submit(Guid tipId, TipRecord? recorded = null, RoutedTip? routed = null)
    {
        // Full since HasRoom said otherwise (a rare race): a routed tip's claimed alert goes when the sweep finds the claim stale.
        if (!_tips.Writer.TryWrite((tipId, recorded, routed))) jobs.Enqueue<RouteTipJob>(j => j.RunAsync(tipId, CancellationToken.None));
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.RouterWorkers)).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            // ReadAsync hands a tip to one waiting worker; ReadAllAsync's WaitToReadAsync woke every
            // idle worker for each tip, and all but one went back to sleep (128 wake-ups a tip).
            while (true)
            {
                var (tipId, recorded, routed) = await _tips.Reader.ReadAsync(stoppingToken);
                await RouteAsync(tipId, recorded, routed);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is still queued here is "received" or claimed in the records; the sweep finishes it.
        }
    }

    private async Task RouteAsync(Guid tipId, TipRecord? recorded, RoutedTip? routed)
    {
        using var activity = TipBotTracing.Source.StartActivity("route tip");
        activity?.SetTag("tipbot.tip_id", tipId.ToString("N"));
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<RouteTipJob>().RouteAndAlertAsync(tipId, recorded, routed, CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning("Routing tip {TipId} in process failed ({Error}: {Message}); Hangfire retries it", tipId, e.GetType().Name, e.GetBaseException().Message);
            jobs.Enqueue<RouteTipJob>(j => j.RunAsync(tipId, CancellationToken.None));
        }
    }
}
