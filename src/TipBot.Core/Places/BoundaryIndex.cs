using System.IO.Compression;
using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.IO.Converters;

namespace TipBot.Core.Places;

/// <summary>
/// The boundaries of Đà Nẵng's commune-level units, for a shared location (a point from Telegram,
/// Zalo or Messenger): point-in-polygon with NetTopologySuite. The shipped boundaries
/// (Boundaries/README.md) are simplified to about 11 m, so a point that falls in a sliver between
/// two simplified neighbours goes to the nearest unit within <see cref="NearestWithinDegrees"/>.
/// Immutable once built; lookups are safe from any thread.
/// </summary>
public sealed class BoundaryIndex
{
    /// <summary>How far (in degrees, about 200 m) a point outside every unit may be from the nearest one.</summary>
    public const double NearestWithinDegrees = 0.002;

    private const string ResourceName = "TipBot.Core.Places.da-nang-units.geojson.gz";
    private static readonly Lazy<BoundaryIndex> Shipped = new(LoadShipped);

    private readonly STRtree<(string Code, Geometry Area)> _tree = new();
    private readonly GeometryFactory _factory = new(new PrecisionModel(), 4326);

    private BoundaryIndex(IEnumerable<(string Code, Geometry Area)> units)
    {
        foreach (var unit in units)
        {
            _tree.Insert(unit.Area.EnvelopeInternal, unit);
            Codes.Add(unit.Code);
            _areas.Add(unit);
        }
        _tree.Build(); // built once here: queries from many threads never build it concurrently
    }

    /// <summary>The boundaries shipped with TipBot (94 units of Đà Nẵng from 1 July 2025).</summary>
    public static BoundaryIndex Default => Shipped.Value;

    public HashSet<string> Codes { get; } = new(StringComparer.Ordinal);

    /// <summary>Every unit's boundary (lon/lat), e.g. for drawing the console's map. Do not modify the geometries.</summary>
    public IReadOnlyList<(string Code, Geometry Area)> Areas => _areas;

    private readonly List<(string Code, Geometry Area)> _areas = [];

    /// <summary>Reads a GeoJSON FeatureCollection whose features carry a "code" property.</summary>
    public static BoundaryIndex Load(Stream geoJson)
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory());
        var features = JsonSerializer.Deserialize<FeatureCollection>(geoJson, options)
            ?? throw new InvalidDataException("empty boundary file");
        return new BoundaryIndex(features
            .Where(f => f.Geometry is Polygon or MultiPolygon && f.Attributes?["code"] is not null)
            .Select(f => (f.Attributes["code"].ToString()!, f.Geometry)));
    }

    /// <summary>The code of the unit the point lies in, or null outside Đà Nẵng.</summary>
    public string? FindUnitCode(double latitude, double longitude)
    {
        if (!double.IsFinite(latitude) || !double.IsFinite(longitude) || Math.Abs(latitude) > 90 || Math.Abs(longitude) > 180) return null;
        var point = _factory.CreatePoint(new Coordinate(longitude, latitude));
        foreach (var (code, area) in _tree.Query(point.EnvelopeInternal))
            if (area.Covers(point)) return code;

        var search = new Envelope(point.Coordinate);
        search.ExpandBy(NearestWithinDegrees);
        string? nearest = null;
        var best = NearestWithinDegrees;
        foreach (var (code, area) in _tree.Query(search))
        {
            var distance = area.Distance(point);
            if (distance <= best) { best = distance; nearest = code; }
        }
        return nearest;
    }

    private static BoundaryIndex LoadShipped()
    {
        using var resource = typeof(BoundaryIndex).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded");
        using var json = new GZipStream(resource, CompressionMode.Decompress);
        return Load(json);
    }
}
