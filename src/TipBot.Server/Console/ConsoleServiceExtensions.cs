using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using TipBot.Server.AdminConsole.Accounts;
using TipBot.Server.Persistence;

// The folder is Console/, the namespace AdminConsole: a TipBot.Server.Console namespace would hide
// System.Console from every file under TipBot.Server.
namespace TipBot.Server.AdminConsole;

/// <summary>The admin web console: Razor Pages under /console, cookie sign-in, one policy per role.</summary>
public static class ConsoleServiceExtensions
{
    public const string SignInPath = "/console/signin";
    public const string CookieName = "tipbot.console";
    private const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;

    public static WebApplicationBuilder AddTipBotConsole(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<ConsoleAccounts>();
        services.AddSingleton<SignInThrottle>();
        // Vietnamese letters as themselves in the HTML, not as &#x...; entities.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Console";
            o.Conventions.AuthorizeFolder("/", ConsolePolicy.SignedIn);
            o.Conventions.AllowAnonymousToPage("/Accounts/SignIn");
        });
        services.AddAuthentication(Scheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                // Strict: no cross-site request carries the cookie, which also covers the web chat's JSON posts.
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromMinutes(30);
                o.SlidingExpiration = true;
                o.LoginPath = SignInPath;
                // A signed-in user without the role gets a plain 403, not a redirect loop to sign-in.
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
                o.Events.OnValidatePrincipal = ConsoleAccounts.ValidatePrincipalAsync;
            });
        services.AddSingleton<IAuthenticationSchemeProvider, NoSignInLookedForByDefault>();
        services.AddAuthorizationBuilder()
            .AddPolicy(ConsolePolicy.SignedIn, p => p.RequireRole(ConsoleRole.All))
            .AddPolicy(ConsolePolicy.Admin, p => p.RequireRole(ConsoleRole.Admin))
            .AddPolicy(ConsolePolicy.Actor, p => p.RequireRole(ConsoleRole.Admin, ConsoleRole.Officer));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "tipbot.antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return builder;
    }

    /// <summary>
    /// The sign-in looked for on the paths that serve a console user (the console, the Hangfire
    /// dashboard, officers' web chat), not on every request: the cookie handler's lookup was
    /// 0.6–0.7 % of the server's CPU under load, paid by every webhook (docs/benchmarks.md,
    /// twenty-second session). Elsewhere the user is anonymous, so an endpoint that needs one
    /// outside these paths fails closed. The console's culture only on console pages (the chat has its own).
    /// </summary>
    public static WebApplication UseTipBotConsole(this WebApplication app)
    {
        // In the app's own pipeline. Called only on a UseWhen branch, ASP.NET Core does not see it and
        // adds its own at the pipeline's head, outside the store-outage answer (docs/benchmarks.md,
        // twenty-first session; StoreOutageTests). It looks for nobody (NoSignInLookedForByDefault).
        app.UseAuthentication();
        app.UseWhen(ServesConsoleUser, signedIn => signedIn.Use(async (http, next) =>
        {
            var signIn = await http.AuthenticateAsync(Scheme);
            if (signIn.Succeeded) http.User = signIn.Principal;
            await next(http);
        }));
        app.UseAuthorization();
        var cultures = new[] { new CultureInfo("vi"), new CultureInfo("en") };
        var localization = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("vi"),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
            RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()],
        };
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/console"), console => console.UseRequestLocalization(localization));
        return app;
    }

    public static WebApplication MapTipBotConsole(this WebApplication app)
    {
        app.MapRazorPages();
        // ?culture=en once, then remembered in the culture cookie for a year.
        app.MapGet("/console/language", (string culture, string? returnUrl, HttpContext http) =>
        {
            var chosen = culture == "en" ? "en" : "vi";
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), SameSite = SameSiteMode.Lax, HttpOnly = true, IsEssential = true });
            return Results.Redirect(IsLocalPath(returnUrl) ? returnUrl! : "/console");
        });
        return app;
    }

    private static bool ServesConsoleUser(HttpContext http) =>
        http.Request.Path.StartsWithSegments("/console") || http.Request.Path.StartsWithSegments("/hangfire") || http.Request.Path.StartsWithSegments("/api/webchat");

    /// <summary>A path on this site ("/x"), never "//host" or "/\\host", which browsers take for another site.</summary>
    public static bool IsLocalPath(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    /// <summary>
    /// /hangfire for signed-in admins only: anonymous requests are sent to sign-in, others get 403.
    /// Hangfire's own filter (<see cref="AdminDashboardFilter"/>) checks the role again.
    /// </summary>
    public static WebApplication GuardHangfireDashboard(this WebApplication app)
    {
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/hangfire"), guarded => guarded.Use(async (http, next) =>
        {
            if (http.User.Identity?.IsAuthenticated != true) { await http.ChallengeAsync(); return; }
            if (!http.User.IsInRole(ConsoleRole.Admin)) { await http.ForbidAsync(); return; }
            await next(http);
        }));
        return app;
    }
}

/// <summary>
/// The cookie scheme stays the default for challenges, sign-ins and sign-outs, but no request is
/// authenticated by default: the sign-in is looked for where a console user is served (<see cref="ConsoleServiceExtensions.UseTipBotConsole"/>).
/// </summary>
internal sealed class NoSignInLookedForByDefault(IOptions<AuthenticationOptions> options) : AuthenticationSchemeProvider(options)
{
    public override Task<AuthenticationScheme?> GetDefaultAuthenticateSchemeAsync() => Task.FromResult<AuthenticationScheme?>(null);
}

public static class ConsolePolicy
{
    public const string SignedIn = "console";
    public const string Admin = "console-admin";
    /// <summary>Admins and officers: may act on tips and see a consenting tipster's contact.</summary>
    public const string Actor = "console-actor";
}

public sealed class AdminDashboardFilter : Hangfire.Dashboard.IDashboardAuthorizationFilter
{
    public bool Authorize(Hangfire.Dashboard.DashboardContext context) =>
        Hangfire.Dashboard.AspNetCoreDashboardContextExtensions.GetHttpContext(context).User.IsInRole(ConsoleRole.Admin);
}
