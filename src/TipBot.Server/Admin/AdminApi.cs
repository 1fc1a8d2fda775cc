using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace TipBot.Server.Admin;

public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>Keys accepted as "Authorization: Bearer KEY" on /api/admin. None: the admin API is closed.</summary>
    public string[]? ApiKeys { get; set; }
}

/// <summary>The /api/admin route group, open only to a bearer key from Admin:ApiKeys (compared in constant time).</summary>
public static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/admin").DisableAntiforgery();
        group.AddEndpointFilter(async (context, next) =>
            Authorized(context.HttpContext) ? await next(context) : Results.Unauthorized());
        return group;
    }

    private static bool Authorized(HttpContext http)
    {
        var keys = http.RequestServices.GetRequiredService<IOptions<AdminOptions>>().Value.ApiKeys;
        if (keys is not { Length: > 0 }) return false;
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        var sent = Encoding.UTF8.GetBytes(header[scheme.Length..].Trim());
        var match = false;
        foreach (var key in keys.Where(k => !string.IsNullOrEmpty(k)))
            match |= CryptographicOperations.FixedTimeEquals(sent, Encoding.UTF8.GetBytes(key));
        return match;
    }
}
