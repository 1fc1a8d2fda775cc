using System.Threading.Channels;
using Hangfire;
using Microsoft.Extensions.Options;
using TipBot.Server.Hosting;
using TipBot.Server.Persistence;

namespace TipBot.Server.Tips;

/// <summary>
/// Routes and alerts a freshly recorded tip in process, off the webhook's path: the tip's row is
/// the truth and this queue only a means. A tip this process dies holding is still "received",
/// and the sweep routes it through Hangfire after Jobs:SweepGrace; a routing or alert failure here
/// is handed to Hangfire at once, which owns retries. So a tip pays for no Hangfire job at all
/// when things go well.
/// </summary>
public sealed class TipRouter(IServiceScopeFactory scopes, IBackgroundJobClient jobs, IOptions<JobsOptions> options, ILogger<TipRouter> log) : BackgroundService
{
    // Enough for a burst; past it a tip goes to Hangfire instead of waiting here.
    private const int Capacity = 5_000;
    private readonly Channel<(Guid Id, TipRecord? Recorded)> _tips = Channel.CreateBounded<(Guid, TipRecord?)>(new BoundedChannelOptions(Capacity) { SingleWriter = false });

    /// <summary>Called once the tip's row is committed; <paramref name="recorded"/>, the row as written, saves reading it back.</summary>
    public void Submit(Guid tipId, TipRecord? recorded = null)
    {
        if (!_tips.Writer.TryWrite((tipId, recorded))) jobs.Enqueue<RouteTipJob>(j => j.RunAsync(tipId, CancellationToken.None));
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.RouterWorkers)).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (tipId, recorded) in _tips.Reader.ReadAllAsync(stoppingToken))
                await RouteAsync(tipId, recorded);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is still queued here is "received" in the records; the sweep routes it.
        }
    }

    private async Task RouteAsync(Guid tipId, TipRecord? recorded)
    {
        using var activity = TipBotTracing.Source.StartActivity("route tip");
        activity?.SetTag("tipbot.tip_id", tipId.ToString("N"));
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<RouteTipJob>().RouteAndAlertAsync(tipId, recorded, CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning("Routing tip {TipId} in process failed ({Error}: {Message}); Hangfire retries it", tipId, e.GetType().Name, e.GetBaseException().Message);
            jobs.Enqueue<RouteTipJob>(j => j.RunAsync(tipId, CancellationToken.None));
        }
    }
}
