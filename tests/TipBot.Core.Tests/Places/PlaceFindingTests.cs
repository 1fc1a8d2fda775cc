using TipBot.Core.Directory;
using TipBot.Core.Places;

namespace TipBot.Core.Tests;

/// <summary>Places as residents write them in tips: typos, names without a prefix, old names, streets.</summary>
public class PlaceFindingTests
{
    private const string HaiChau = "20242", HoaCuong = "20257", HoaKhanh = "20200", SonTra = "20263", AnHai = "20275",
        DienBan = "20551", DienBanDong = "20557", QueSon = "20641", NongSon = "20669", TamMy = "21004";

    // A slice of the real directory (SampleDirectory/units.csv) with the aliases that matter here.
    private static readonly UnitResolver Places = new UnitDirectory(
    [
        new Unit("48", "Thành phố Đà Nẵng", UnitType.Province, null, ["Đà Nẵng"]),
        new Unit(HaiChau, "Phường Hải Châu", UnitType.Ward, "48", ["Hải Châu", "Quận Hải Châu", "Phước Ninh", "Phường Phước Ninh", "Thạch Thang", "Phường Thạch Thang"]),
        new Unit(HoaCuong, "Phường Hoà Cường", UnitType.Ward, "48", ["Hòa Cường Bắc", "Phường Hòa Cường Bắc", "Hòa Cường Nam", "Hải Châu", "Quận Hải Châu"]),
        new Unit(HoaKhanh, "Phường Hoà Khánh", UnitType.Ward, "48", ["Hòa Khánh Nam", "Phường Hòa Khánh Nam", "Hòa Minh", "Phường Hòa Minh", "Liên Chiểu", "Quận Liên Chiểu"]),
        new Unit(SonTra, "Phường Sơn Trà", UnitType.Ward, "48", ["Sơn Trà", "Quận Sơn Trà", "Mân Thái", "Phường Mân Thái", "Thọ Quang", "Phường Thọ Quang"]),
        new Unit(AnHai, "Phường An Hải", UnitType.Ward, "48", ["An Hải Bắc", "Phường An Hải Bắc", "Phước Mỹ", "Phường Phước Mỹ", "Sơn Trà", "Quận Sơn Trà"]),
        new Unit(DienBan, "Phường Điện Bàn", UnitType.Ward, "48", ["Điện Bàn", "Thị xã Điện Bàn", "Điện An", "Phường Điện An"]),
        new Unit(DienBanDong, "Phường Điện Bàn Đông", UnitType.Ward, "48", ["Điện Bàn", "Thị xã Điện Bàn", "Điện Nam Đông", "Phường Điện Nam Đông"]),
        new Unit(QueSon, "Xã Quế Sơn", UnitType.Commune, "48", ["Quế An", "Xã Quế An", "Quế Sơn", "Huyện Quế Sơn"]),
        new Unit(NongSon, "Xã Nông Sơn", UnitType.Commune, "48", ["Phước Ninh", "Xã Phước Ninh", "Quế Sơn", "Huyện Quế Sơn"]),
        new Unit(TamMy, "Xã Tam Mỹ", UnitType.Commune, "48", ["Tam Mỹ Đông", "Xã Tam Mỹ Đông"]),
    ], []).Places;

    private static string[] Codes(PlaceMatch match) => match.Candidates.Select(u => u.Code).Order(StringComparer.Ordinal).ToArray();

    [Theory]
    [InlineData("phuong hoa khahn", HoaKhanh)] // two letters swapped
    [InlineData("Hoà Khán", HoaKhanh)] // a letter dropped
    [InlineData("P. Hòa Khánhh", HoaKhanh)] // a letter doubled
    [InlineData("man thai", SonTra)] // exact, for contrast
    [InlineData("man thao", SonTra)] // a letter changed
    [InlineData("tho quamg", SonTra)]
    public void A_typed_place_with_one_typo_is_still_found(string answer, string expected)
    {
        Assert.Equal([expected], Codes(Places.Resolve(answer)));
    }

    [Theory]
    [InlineData("tam mi")] // five letters: "Tam Mỹ" or another name, too short to guess
    [InlineData("hoa khnah nma")] // two typos
    public void A_short_name_or_two_typos_are_not_guessed(string answer)
    {
        Assert.Same(PlaceMatch.None, Places.Resolve(answer));
    }

    [Fact]
    public void A_typo_never_turns_an_exact_ambiguous_answer_into_a_guess()
    {
        // "hai chau" is exactly the old district (two wards); "hai chau" is also one edit from nothing
        // else, but even if it were, the exact answer stands and the dialog asks.
        Assert.Equal([HaiChau, HoaCuong], Codes(Places.Resolve("hai chau")));
        Assert.Equal([HaiChau, HoaCuong], Codes(Places.Resolve("hai chou")));
    }

    [Theory]
    [InlineData("Mân Thái, bọn trẻ trâu chặn người đi đường đòi tiền", SonTra)]
    [InlineData("man thai: co nhom ban ke o bai bien", SonTra)]
    [InlineData("hoa khanh nam co nha ban da, toi nao cung dong", HoaKhanh)]
    [InlineData("có trộm trong nhà hàng xóm ở Hòa Cường Nam, nhà đó đi vắng", HoaCuong)]
    [InlineData("hon chien o kiet 30 hoa minh, tui no cam ma tau", HoaKhanh)]
    [InlineData("quán bar trên đường ven sông, chợ đêm Mân Thái có bán bóng cười", SonTra)]
    [InlineData("Phường Phước Mỹ cũ gần biển: tụi nó đua ô tô", AnHai)]
    [InlineData("Tôi ở phường Hải Châu, có người gọi giả danh điện lực", HaiChau)]
    [InlineData("VỪA CÓ NGƯỜI BỊ CHÉM Ở BÃI XE HÒA MINH", HoaKhanh)] // all capitals: "ở" a few words before is the cue
    [InlineData("CƯỚP!!! CẦM DAO Ở ATM HÒA CƯỜNG NAM", HoaCuong)]
    [InlineData("bà con Mân Thái cẩn thận, có người lạ bán thuốc", SonTra)] // the people of Mân Thái
    public void A_unit_named_where_residents_name_places_is_found(string tip, string expected)
    {
        Assert.Equal([expected], Codes(Places.FindInText(tip)));
    }

    [Fact]
    public void An_old_district_named_alone_gives_every_unit_it_covers()
    {
        Assert.Equal([SonTra, AnHai], Codes(Places.FindInText("son tra co may quan ca phe lam dai ly ca do")));
    }

    [Theory]
    [InlineData("Điện Bàn, phường Điện Bàn, tụ điểm ghi đề ở quán nước", DienBan)]
    [InlineData("phuoc ninh, hai chau: co kho chua ruou gia", HaiChau)]
    [InlineData("Phước Ninh (Quế Sơn): có người khai thác cát", NongSon)]
    public void A_second_place_narrows_an_ambiguous_first_one(string tip, string expected)
    {
        Assert.Equal([expected], Codes(Places.FindInText(tip)));
    }

    [Theory]
    [InlineData("mua một bình sơn màu xanh, thủy điện bán điện cho dân")]
    [InlineData("quán cà phê trên đường Sơn Trà bị trộm 2 xe máy")] // a street named after a place
    [InlineData("tối thứ 7 tụi nó bốc đầu trên cầu Mân Thái")] // a bridge
    [InlineData("ghi de o quan tap hoa so 12")] // "quan" is quán, not quận, and "tap hoa" is no typo of a name
    [InlineData("co nguoi ban phao tren nhom zalo cua xa, dang hinh phao to")] // "xa, dang" crosses a comma
    [InlineData("Tôi phát hiện tài khoản facebook \"Hòa Minh Shop\" bán bình xịt hơi cay")]
    [InlineData("nhà có anh Hòa Minh hay đánh vợ")] // a man's name
    [InlineData("cạnh xưởng sơn, họ xả hơi sơn cả ngày")] // "xả" is not "xã"
    [InlineData("Có người tổ chức đánh bạc gần chợ")]
    [InlineData("Xe tải của công ty Hòa Minh bị hỏng nằm giữa đường")] // a business's name
    [InlineData("ở đây yên bình lắm, chỉ có chó nhà hòa minh sủa")] // small letters only: no capitals, no where-word cue
    [InlineData("CON HÒA MINH NHÀ BÊN BỊ NGẤT Ở SÂN TRƯỜNG")] // all capitals, but "con" before a name is a person
    public void Ordinary_words_streets_and_names_are_not_taken_for_a_unit(string tip)
    {
        Assert.Same(PlaceMatch.None, Places.FindInText(tip));
    }

    [Theory]
    [InlineData("p. hoa khnah, co nguoi ban ma tuy", HoaKhanh)]
    [InlineData("ở phường Hòa Khánhh có nhóm cho vay", HoaKhanh)]
    public void A_typo_after_an_unmistakable_prefix_is_forgiven_in_a_tip(string tip, string expected)
    {
        Assert.Equal([expected], Codes(Places.FindInText(tip)));
    }
}
