using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace TipBot.Server.AdminConsole.Dashboard;

/// <summary>
/// Charts drawn on the server as inline SVG: no script, no chart library, readable on a phone
/// (the viewBox scales to the screen width) and printable.
/// </summary>
public static class SvgCharts
{
    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
    private static string E(string text) => WebUtility.HtmlEncode(text);

    /// <summary>Horizontal bars, one row per label, longest first as given.</summary>
    public static IHtmlContent Bars(string id, string title, IReadOnlyList<(string Label, int Value)> rows)
    {
        const int width = 480, labelWidth = 170, rowHeight = 22;
        var height = Math.Max(1, rows.Count) * rowHeight + 8;
        var max = Math.Max(1, rows.Count == 0 ? 1 : rows.Max(r => r.Value));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg id=\"{id}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{E(title)}\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"12\">");
        for (var i = 0; i < rows.Count; i++)
        {
            var (label, value) = rows[i];
            var y = 4 + i * rowHeight;
            var bar = (width - labelWidth - 40) * (double)value / max;
            var shown = label.Length > 26 ? label[..25] + "…" : label;
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{labelWidth - 6}\" y=\"{y + 15}\" text-anchor=\"end\" fill=\"#334\">{E(shown)}</text>" +
                $"<rect x=\"{labelWidth}\" y=\"{y + 3}\" width=\"{N(Math.Max(bar, 1))}\" height=\"{rowHeight - 6}\" fill=\"#8b1e1e\" rx=\"2\"><title>{E(label)}: {value}</title></rect>" +
                $"<text x=\"{N(labelWidth + bar + 5)}\" y=\"{y + 15}\" fill=\"#334\">{value}</text>");
        }
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    /// <summary>A line over days (the x axis is the day order; labels at the first, middle and last day).</summary>
    public static IHtmlContent Line(string id, string title, IReadOnlyList<(string Label, int Value)> points)
    {
        const int width = 480, height = 180, left = 30, bottom = 24, top = 10;
        var max = Math.Max(1, points.Count == 0 ? 1 : points.Max(p => p.Value));
        double X(int i) => left + (width - left - 10) * (points.Count <= 1 ? 0.5 : (double)i / (points.Count - 1));
        double Y(int v) => top + (height - top - bottom) * (1 - (double)v / max);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg id=\"{id}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{E(title)}\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\">");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{N(Y(0))}\" x2=\"{width - 10}\" y2=\"{N(Y(0))}\" stroke=\"#bbb\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{N(Y(max) + 4)}\" text-anchor=\"end\" fill=\"#556\">{max}</text><text x=\"{left - 4}\" y=\"{N(Y(0) + 4)}\" text-anchor=\"end\" fill=\"#556\">0</text>");
        if (points.Count > 0)
        {
            var path = string.Join(' ', points.Select((p, i) => $"{(i == 0 ? 'M' : 'L')}{N(X(i))},{N(Y(p.Value))}"));
            svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path}\" fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\"/>");
            for (var i = 0; i < points.Count; i++)
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{N(X(i))}\" cy=\"{N(Y(points[i].Value))}\" r=\"2.5\" fill=\"#1f5fbf\"><title>{E(points[i].Label)}: {points[i].Value}</title></circle>");
            foreach (var i in new[] { 0, points.Count / 2, points.Count - 1 }.Distinct())
            {
                var anchor = i == 0 ? "start" : i == points.Count - 1 ? "end" : "middle"; // the end labels stay inside the frame
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{N(X(i))}\" y=\"{height - 6}\" text-anchor=\"{anchor}\" fill=\"#556\">{E(points[i].Label)}</text>");
            }
        }
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }
}
