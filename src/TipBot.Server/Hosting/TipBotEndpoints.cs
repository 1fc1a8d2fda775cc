using Hangfire;
using Hangfire.Dashboard;
using TipBot.Server.Admin;
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
        app.MapTipBotHealthChecks();
        // Until sign-in exists the dashboard answers loopback requests only (INTERFACES.md).
        app.UseHangfireDashboard("/hangfire", new DashboardOptions { Authorization = [new LocalRequestsOnlyAuthorizationFilter()] });
        return app;
    }
}
