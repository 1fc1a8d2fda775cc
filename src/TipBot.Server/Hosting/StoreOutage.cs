using TipBot.Server.Conversations;
using TipBot.Server.Persistence;

namespace TipBot.Server.Hosting;

/// <summary>
/// A store failed the call, not our code: Redis or the database away (also as the cause inside
/// EF Core's "transient failure" or save wrapper, or Hangfire's "job creation failed"), or the
/// key ring unreadable. Worth a 503 and a retry, not a 500 and a stack trace.
/// </summary>
public static class StoreOutage
{
    public static bool Caused(Exception e)
    {
        if (e is ConversationStoreUnavailableException or System.Data.Common.DbException) return true;
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
            if (cause is StackExchange.Redis.RedisException or TimeoutException || DbErrors.IsTransient(cause)) return true;
        return false;
    }
}

/// <summary>
/// Any endpoint other than the webhooks (which postpone a turn themselves): the admin API, the
/// console, a notice image, while PostgreSQL or Redis restarts, answers 503 with a Retry-After
/// and one Warning line. Every other exception passes through untouched (a malformed body stays
/// Kestrel's 400, a bug stays a 500 logged as an error) — why this is a filter and not
/// UseExceptionHandler, which would answer all of them itself.
/// </summary>
public static class StoreOutageAnswers
{
    public static IApplicationBuilder UseStoreOutageAnswers(this IApplicationBuilder app)
    {
        var log = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StoreOutageAnswers));
        return app.Use(async (http, next) =>
        {
            try
            {
                await next(http);
            }
            catch (Exception e) when (StoreOutage.Caused(e) && !http.Response.HasStarted)
            {
                log.LogWarning("{Method} {Path} answered 503, a store being unreachable: {Error}: {Message}",
                    http.Request.Method, http.Request.Path, e.GetType().Name, e.GetBaseException().Message);
                http.Response.Clear();
                http.Response.Headers.RetryAfter = "5";
                await TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "The service's storage is unreachable for a moment; try again shortly.").ExecuteAsync(http);
            }
        });
    }
}
