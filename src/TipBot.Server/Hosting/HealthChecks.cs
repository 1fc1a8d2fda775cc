using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;
using TipBot.Server.Persistence;

namespace TipBot.Server.Hosting;

public static class HealthChecks
{
    public static WebApplicationBuilder AddTipBotHealthChecks(this WebApplicationBuilder builder)
    {
        var checks = builder.Services.AddHealthChecks();
        checks.AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("Redis")))
            checks.AddCheck<RedisHealthCheck>("redis", tags: ["ready"]);
        return builder;
    }

    public static IEndpointRouteBuilder MapTipBotHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
        return app;
    }

    private sealed class DatabaseHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TipBotDbContext>();
            return await db.Database.CanConnectAsync(ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("database unreachable");
        }
    }

    private sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            try
            {
                await redis.GetDatabase().PingAsync();
                return HealthCheckResult.Healthy();
            }
            catch (RedisException e)
            {
                return HealthCheckResult.Unhealthy("redis unreachable", e);
            }
        }
    }
}
