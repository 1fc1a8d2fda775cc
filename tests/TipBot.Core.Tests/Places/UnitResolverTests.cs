using TipBot.Core.Directory;
using TipBot.Core.Places;

namespace TipBot.Core.Tests;

public class UnitResolverTests
{
    private const string HaiChau = "20242", HoaCuong = "20257";
    private const string TamThanh = "20901", TamThanhGrave = "20902", TamThanhDot = "20903", VietAn = "20910";

    private static readonly UnitDirectory Directory = new(
    [
        new Unit("48", "Thành phố Đà Nẵng", UnitType.Province, null, ["Đà Nẵng"]),
        new Unit(HaiChau, "Phường Hải Châu", UnitType.Ward, "48", ["Hải Châu", "Phước Ninh", "Quận Hải Châu"]),
        new Unit(HoaCuong, "Phường Hoà Cường", UnitType.Ward, "48", ["Hoà Cường", "Hòa Cường Bắc", "Hải Châu", "Quận Hải Châu"]),
        new Unit(TamThanh, "Xã Tam Thanh", UnitType.Commune, "48", []),
        new Unit(TamThanhGrave, "Xã Tam Thành", UnitType.Commune, "48", []),
        new Unit(TamThanhDot, "Xã Tam Thạnh", UnitType.Commune, "48", []),
        new Unit(VietAn, "Xã Việt An", UnitType.Commune, "48", ["Bình Sơn", "Xã Bình Sơn"]),
    ], []);

    private static UnitResolver Places => Directory.Places;

    private static string[] Codes(PlaceMatch match) => match.Candidates.Select(u => u.Code).Order(StringComparer.Ordinal).ToArray();

    [Theory]
    [InlineData("phường Hải Châu")]
    [InlineData("Phường Hải Châu")]
    [InlineData("p. hai chau")]
    [InlineData("P.Hải Châu")]
    [InlineData("phuong hai chau")]
    [InlineData("Phu\u031bo\u031b\u0300ng Ha\u0309i Cha\u0302u")]
    public void A_ward_named_with_its_prefix_resolves_to_that_ward(string answer)
    {
        var match = Places.Resolve(answer);
        Assert.True(match.IsUnique);
        Assert.Equal(HaiChau, match.Unit!.Code);
    }

    [Theory]
    [InlineData("Hải Châu")]
    [InlineData("hai chau")]
    [InlineData("Quận Hải Châu")]
    [InlineData("q. hai chau")]
    public void An_old_district_name_shared_by_two_wards_is_ambiguous(string answer)
    {
        var match = Places.Resolve(answer);
        Assert.True(match.IsAmbiguous);
        Assert.Null(match.Unit);
        Assert.Equal([HaiChau, HoaCuong], Codes(match));
    }

    [Theory]
    [InlineData("tam thanh")]
    [InlineData("xa tam thanh")]
    public void A_name_without_diacritics_that_three_communes_share_gives_three_candidates(string answer)
    {
        var match = Places.Resolve(answer);
        Assert.Equal([TamThanh, TamThanhGrave, TamThanhDot], Codes(match));
    }

    [Theory]
    [InlineData("Tam Thạnh", TamThanhDot)]
    [InlineData("xã Tam Thạnh", TamThanhDot)]
    [InlineData("Tam Thành", TamThanhGrave)]
    [InlineData("xã Tam Thành", TamThanhGrave)]
    [InlineData("Xã Tam Thanh", TamThanh)]
    public void A_name_typed_with_diacritics_resolves_to_exactly_the_unit_spelled_that_way(string answer, string expected)
    {
        // A resident who types the marks has told us which commune it is: asking "which of
        // Tam Thanh / Tam Thành / Tam Thạnh?" is a needless question, and any single other
        // commune is a wrong one.
        var match = Places.Resolve(answer);
        Assert.Equal([expected], Codes(match));
    }

    [Fact]
    public void FindInText_finds_a_commune_announced_by_its_prefix()
    {
        var match = Places.FindInText("Tối qua có người đánh bạc ở xã Tam Thành gần chợ");
        Assert.Contains(TamThanhGrave, Codes(match));
        Assert.True(match.IsAmbiguous || match.Unit!.Code == TamThanhGrave,
            $"'xã Tam Thành' was taken for {string.Join(", ", match.Candidates.Select(u => u.Name))}");
    }

    [Fact]
    public void FindInText_ignores_a_place_name_inside_an_ordinary_phrase()
    {
        // "tam thanh" here is "tám thanh" (eight bars), lower case and after no word that says where.
        Assert.Same(PlaceMatch.None, Places.FindInText("Tối qua nó mua tam thanh sắt về rào nhà"));
    }

    [Fact]
    public void FindInText_finds_a_name_after_a_word_that_says_where()
    {
        Assert.Equal([TamThanhGrave], Codes(Places.FindInText("Tối qua có người đánh bạc ở Tam Thành gần chợ")));
    }

    [Fact]
    public void FindInText_does_not_take_a_can_of_paint_for_a_commune()
    {
        // "bình sơn" is an alias of Xã Việt An, and also "a can of paint".
        var match = Places.FindInText("mua một bình sơn màu xanh");
        Assert.Same(PlaceMatch.None, match);
        Assert.Empty(match.Candidates);
    }

    [Fact]
    public void FindInText_finds_an_alias_after_a_prefix()
    {
        Assert.Equal(VietAn, Places.FindInText("trộm bò ở xã Bình Sơn đêm qua").Unit?.Code);
    }

    [Theory]
    [InlineData("Hà Nội")]
    [InlineData("phường Không Có")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("😀")]
    [InlineData("phường")]
    public void A_name_no_unit_has_is_no_match(string? answer)
    {
        var match = Places.Resolve(answer);
        Assert.Same(PlaceMatch.None, match);
        Assert.False(match.IsUnique);
        Assert.False(match.IsAmbiguous);
        Assert.Null(match.Unit);
    }
}
