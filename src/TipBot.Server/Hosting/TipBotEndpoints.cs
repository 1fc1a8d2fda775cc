using Hangfire;
using Hangfire.Dashboard;
using Prometheus;
using TipBot.Server.Admin;
using TipBot.Server.AdminConsole;
using TipBot.Server.Notices;
using TipBot.Server.WebChat;
using TipBot.Server.Webhooks;

namespace TipBot.Server.Hosting;

public static class TipBotEndpoints
{
    public static WebApplication MapTipBotEndpoints(this WebApplication app)
    {
        app.MapTelegramWebhook();
        app.MapMessengerWebhook();
        app.MapZaloWebhook();
        app.MapWebChat();
        app.MapAdminApi().MapNotices();
        app.MapNoticeImages();
        app.MapTipBotHealthChecks();
        // Prometheus scrape endpoint, loopback only (scrape through the node's own agent).
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/metrics") && !WebChatEndpoints.IsLoopback(http),
            refused => refused.Run(http => { http.Response.StatusCode = StatusCodes.Status404NotFound; return Task.CompletedTask; }));
        MetricsExport.Start();
        app.MapMetrics("/metrics");
        app.MapTipBotConsole();
        // Signed-in console admins only (INTERFACES.md): anonymous requests go to the sign-in page.
        app.GuardHangfireDashboard();
        app.UseHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new AdminDashboardFilter()] });
        return app;
    }
}
