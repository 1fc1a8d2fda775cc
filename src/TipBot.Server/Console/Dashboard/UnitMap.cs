using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;
using NetTopologySuite.Geometries;
using NetTopologySuite.Simplify;
using TipBot.Core.Places;

namespace TipBot.Server.AdminConsole.Dashboard;

/// <summary>
/// The city's units as an inline SVG map, shaded by tip count. The outlines are the boundaries the
/// unit resolver already ships (<see cref="BoundaryIndex.Default"/>), simplified once more for the
/// screen (about 200 m: a pixel at phone width) and projected once per process.
/// </summary>
public static class UnitMap
{
    private const double Width = 600, Tolerance = 0.002;
    /// <summary>How far (degrees) a unit's centre may lie from the median centre and still be inside the frame.</summary>
    private const double OffshoreDegrees = 1.5;
    private static readonly Lazy<(List<(string Code, string Path)> Units, List<string> Offshore, double Height)> Projected = new(Project);

    public static IHtmlContent Draw(IReadOnlyDictionary<string, int> countsByUnit, Func<string, string> unitName)
    {
        var (units, offshore, height) = Projected.Value;
        var max = Math.Max(1, countsByUnit.Count == 0 ? 1 : countsByUnit.Values.Max());
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg id=\"unit-map\" viewBox=\"0 0 {Width} {height:0}\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">");
        foreach (var (code, path) in units)
        {
            var count = countsByUnit.GetValueOrDefault(code);
            svg.Append(CultureInfo.InvariantCulture,
                $"<path d=\"{path}\" data-unit=\"{code}\" data-count=\"{count}\" fill=\"{Shade(count, max)}\" stroke=\"#fff\" stroke-width=\"0.6\"><title>{WebUtility.HtmlEncode(unitName(code))}: {count}</title></path>");
        }
        svg.Append("</svg>");
        // Units far offshore (the Hoàng Sa special zone) would shrink the city to a corner: listed instead.
        foreach (var code in offshore)
            svg.Append(CultureInfo.InvariantCulture, $"<p class=\"note\" data-unit=\"{code}\" data-count=\"{countsByUnit.GetValueOrDefault(code)}\">{WebUtility.HtmlEncode(unitName(code))}: {countsByUnit.GetValueOrDefault(code)}</p>");
        return new HtmlString(svg.ToString());
    }

    /// <summary>From pale grey (none) to the console's dark red (the busiest unit).</summary>
    private static string Shade(int count, int max)
    {
        if (count == 0) return "#e6e8eb";
        var t = 0.25 + 0.75 * Math.Sqrt((double)count / max);
        int Mix(int from, int to) => (int)Math.Round(from + (to - from) * t);
        return $"#{Mix(0xf6, 0x8b):x2}{Mix(0xd5, 0x1e):x2}{Mix(0xc8, 0x1e):x2}";
    }

    private static (List<(string Code, string Path)>, List<string>, double Height) Project()
    {
        var all = BoundaryIndex.Default.Areas;
        var medianX = all.Select(a => a.Area.EnvelopeInternal.Centre.X).Order().ElementAt(all.Count / 2);
        var medianY = all.Select(a => a.Area.EnvelopeInternal.Centre.Y).Order().ElementAt(all.Count / 2);
        bool Offshore(Geometry area) =>
            Math.Abs(area.EnvelopeInternal.Centre.X - medianX) > OffshoreDegrees || Math.Abs(area.EnvelopeInternal.Centre.Y - medianY) > OffshoreDegrees;
        var areas = all.Where(a => !Offshore(a.Area)).ToList();
        var offshore = all.Where(a => Offshore(a.Area)).Select(a => a.Code).ToList();
        var bounds = new Envelope();
        foreach (var (_, area) in areas) bounds.ExpandToInclude(area.EnvelopeInternal);
        // Equirectangular with the longitude squeezed by cos(latitude): true shapes at this size.
        var squeeze = Math.Cos(bounds.Centre.Y * Math.PI / 180);
        var scale = Width / (bounds.Width * squeeze);
        var height = bounds.Height * scale;
        string P(Coordinate c) =>
            $"{((c.X - bounds.MinX) * squeeze * scale).ToString("0.#", CultureInfo.InvariantCulture)},{((bounds.MaxY - c.Y) * scale).ToString("0.#", CultureInfo.InvariantCulture)}";
        var units = new List<(string, string)>();
        foreach (var (code, area) in areas)
        {
            var simple = TopologyPreservingSimplifier.Simplify(area, Tolerance);
            var path = new StringBuilder();
            for (var g = 0; g < simple.NumGeometries; g++)
                if (simple.GetGeometryN(g) is Polygon polygon)
                    foreach (var ring in new[] { polygon.ExteriorRing }.Concat(polygon.InteriorRings))
                        path.Append('M').AppendJoin('L', ring.Coordinates.Select(P)).Append('Z');
            units.Add((code, path.ToString()));
        }
        return (units, offshore, height);
    }
}
