using System.Diagnostics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace TipBot.Server.Hosting;

/// <summary>
/// Traces (OpenTelemetry): a webhook turn, and a tip's routing and alert, as spans of their own
/// beside ASP.NET Core's and HttpClient's, exported over OTLP. Only when an endpoint is configured
/// (OpenTelemetry:OtlpEndpoint, or the standard OTEL_EXPORTER_OTLP_ENDPOINT): without one nothing
/// listens, so no request or send records a span nobody will read. Spans carry the
/// channel, the outcome and the tip's id, never a chat id, a name or text, and outgoing URLs are
/// written without their path: Telegram's carries the bot token.
/// </summary>
public static class TipBotTracing
{
    public const string SourceName = "TipBot";
    public static readonly ActivitySource Source = new(SourceName);

    public static WebApplicationBuilder AddTipBotTracing(this WebApplicationBuilder builder)
    {
        var endpoint = builder.Configuration["OpenTelemetry:OtlpEndpoint"] is { Length: > 0 } e ? e
            : builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (endpoint is not { Length: > 0 }) return builder;
        AddOtlpTracing(builder.Services, endpoint);
        return builder;
    }

    // A method of its own, never inlined: compiling it loads OpenTelemetry's four assemblies,
    // which a node without an endpoint then never maps.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void AddOtlpTracing(IServiceCollection services, string endpoint)
    {
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("tipbot"))
            .WithTracing(tracing =>
            {
                tracing.AddSource(SourceName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                    .AddHttpClientInstrumentation(o =>
                    {
                        o.EnrichWithHttpRequestMessage = (activity, request) =>
                        {
                            if (request.RequestUri is { } uri) activity.SetTag("url.full", $"{uri.Scheme}://{uri.Authority}/…");
                        };
                    });
                tracing.AddOtlpExporter(o => o.Endpoint = new Uri(endpoint));
            });
    }
}
