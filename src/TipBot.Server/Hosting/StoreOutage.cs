using Microsoft.AspNetCore.Diagnostics;
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
/// and one Warning line. Every other exception stays a 500, logged as before.
/// </summary>
public sealed class StoreOutageHandler(IProblemDetailsService problems, ILogger<StoreOutageHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (!StoreOutage.Caused(exception)) return false;
        log.LogWarning("{Method} {Path} answered 503, a store being unreachable: {Error}: {Message}",
            http.Request.Method, http.Request.Path, exception.GetType().Name, exception.GetBaseException().Message);
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = "5";
        await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = StatusCodes.Status503ServiceUnavailable, Title = "The service's storage is unreachable for a moment; try again shortly." },
        });
        return true;
    }
}
