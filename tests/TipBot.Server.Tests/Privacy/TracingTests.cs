using System.Collections;
using System.Diagnostics;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Privacy;

/// <summary>
/// Traces follow a tip through the service — its turns, its routing, the calls to the channel —
/// and say nothing about the tipster: no chat id, no text, and no bot token from Telegram's URLs.
/// </summary>
[Collection("integration")]
public sealed class TracingTests : IAsyncLifetime
{
    private readonly Spans _spans = new();
    private TipBotApp _app = null!;

    // An endpoint switches tracing on; nothing listens there (the discard port), the spans are read in memory.
    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(StoreMode.Embedded, b => b
        .UseSetting("OpenTelemetry:OtlpEndpoint", "http://127.0.0.1:9")
        .ConfigureTestServices(s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(_spans))));

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_tip_is_traced_turn_by_turn_without_chat_ids_text_or_the_bot_token()
    {
        var resident = ResidentScript.NewResident();
        var code = await _app.ReportDrugTipInHaiChauAsync(resident);
        await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code);

        var spans = await Eventually.Get(() => _spans.Snapshot(), s => s.Any(a => a.DisplayName == "route tip"), "the routing span");
        Assert.Contains(spans, a => a.DisplayName == "turn" && (string?)a.GetTagItem("tipbot.channel") == "telegram" && (string?)a.GetTagItem("tipbot.outcome") == "Processed");
        Assert.Contains(spans, a => a.Kind == ActivityKind.Server && a.DisplayName.Contains("/webhooks/telegram"));
        Assert.Contains(spans, a => a.Kind == ActivityKind.Client); // the calls to the Bot API
        // The Bot API double is an ASP.NET Core app in this same process: its own server spans are
        // the platform's side of the call, not ours.
        var ours = spans.Where(a => !(a.Kind == ActivityKind.Server && ((string?)a.GetTagItem("url.path"))?.StartsWith("/bot", StringComparison.Ordinal) == true)).ToList();
        Assert.Contains(ours, a => a.Kind == ActivityKind.Client && ((string?)a.GetTagItem("url.full"))?.EndsWith("/…", StringComparison.Ordinal) == true);
        var said = string.Join('\n', ours.SelectMany(a => a.TagObjects.Select(t => $"{a.DisplayName} {t.Key}={t.Value}")));
        Assert.DoesNotContain(resident.ToString(), said);
        Assert.DoesNotContain(TipBotApp.HaiChauOfficer.ToString(), said);
        Assert.DoesNotContain("TEST-TOKEN", said);
        Assert.DoesNotContain("ma túy", said);
    }

    [Fact]
    public async Task Without_an_endpoint_nothing_records_spans()
    {
        await using var untraced = await TipBotApp.StartAsync(StoreMode.Embedded);

        Assert.Null(untraced.Services.GetService<TracerProvider>()); // no listener: ActivitySource.StartActivity returns null
    }

    /// <summary>The exporter adds from whichever thread ends a span.</summary>
    private sealed class Spans : ICollection<Activity>
    {
        private readonly List<Activity> _items = [];
        public Activity[] Snapshot() { lock (_items) return [.. _items]; }
        public void Add(Activity item) { lock (_items) _items.Add(item); }
        public void Clear() { lock (_items) _items.Clear(); }
        public bool Contains(Activity item) { lock (_items) return _items.Contains(item); }
        public void CopyTo(Activity[] array, int arrayIndex) { lock (_items) _items.CopyTo(array, arrayIndex); }
        public bool Remove(Activity item) { lock (_items) return _items.Remove(item); }
        public int Count { get { lock (_items) return _items.Count; } }
        public bool IsReadOnly => false;
        public IEnumerator<Activity> GetEnumerator() => ((IEnumerable<Activity>)Snapshot()).GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
