using TipBot.Core.Directory;
using TipBot.Core.Places;

namespace TipBot.Core.Tests;

public class BoundaryIndexTests
{
    private static readonly UnitResolver Places = new UnitDirectory(
    [
        new Unit("48", "Thành phố Đà Nẵng", UnitType.Province, null, ["Đà Nẵng"]),
        new Unit("20242", "Phường Hải Châu", UnitType.Ward, "48", ["Hải Châu"]),
        new Unit("20257", "Phường Hoà Cường", UnitType.Ward, "48", ["Hải Châu"]),
        new Unit("20410", "Phường Hội An", UnitType.Ward, "48", []),
    ], []).Places;

    [Fact]
    public void The_shipped_boundaries_cover_every_unit_of_Da_Nang()
    {
        var codes = BoundaryIndex.Default.Codes;
        Assert.Equal(94, codes.Count);
        Assert.Contains("20242", codes);
        Assert.Contains("20410", codes);
    }

    [Theory]
    [InlineData(16.0700, 108.2150, "20242")] // Hải Châu, near the Dragon Bridge's west end
    [InlineData(16.0340, 108.2230, "20257")] // Hoà Cường
    [InlineData(15.8770, 108.3260, "20410")] // Hội An old town
    public void A_shared_location_resolves_to_the_unit_it_lies_in(double latitude, double longitude, string expected)
    {
        var match = Places.FindUnitAt(latitude, longitude);
        Assert.True(match.IsUnique);
        Assert.Equal(expected, match.Unit!.Code);
    }

    [Theory]
    [InlineData(21.0285, 105.8542)] // Hà Nội
    [InlineData(16.0, 109.5)] // the open sea
    [InlineData(double.NaN, 108.2)]
    [InlineData(95.0, 108.2)]
    public void A_location_outside_Da_Nang_resolves_to_no_unit(double latitude, double longitude)
    {
        Assert.Same(PlaceMatch.None, Places.FindUnitAt(latitude, longitude));
    }

    [Fact]
    public void A_unit_the_directory_does_not_have_is_no_match()
    {
        // Phường Sơn Trà (20263) has a boundary but is not in this directory.
        Assert.Equal("20263", BoundaryIndex.Default.FindUnitCode(16.1000, 108.2500));
        Assert.Same(PlaceMatch.None, Places.FindUnitAt(16.1000, 108.2500));
    }

    [Fact]
    public void Lookups_from_many_threads_agree_with_one_thread()
    {
        var points = Enumerable.Range(0, 400).Select(i => (Lat: 15.85 + i % 20 * 0.02, Lon: 108.0 + i / 20 * 0.02)).ToArray();
        var expected = points.Select(p => BoundaryIndex.Default.FindUnitCode(p.Lat, p.Lon)).ToArray();
        var actual = new string?[points.Length];
        Parallel.For(0, points.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => actual[i] = BoundaryIndex.Default.FindUnitCode(points[i].Lat, points[i].Lon));
        Assert.Equal(expected, actual);
        Assert.True(expected.Count(c => c is not null) > 100, "most points of the grid lie in Đà Nẵng");
    }
}
