using System.Globalization;
using System.Text;
using TipBot.Core.Text;

namespace TipBot.Core.Tests;

public class VietnameseTextTests
{
    [Fact]
    public void Service_needs_ICU_and_the_test_process_has_it()
    {
        // With InvariantGlobalization string.Normalize does nothing and "vi" throws (DOMAIN.md):
        // if this fails, decomposed input from some phones would never match a unit name.
        Assert.Equal("\u00e9", "e\u0301".Normalize());
        var vietnamese = CultureInfo.GetCultureInfo("vi");
        Assert.StartsWith("Vietnamese", vietnamese.EnglishName, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_turns_decomposed_input_into_NFC()
    {
        var decomposed = "Phu\u031bo\u031b\u0300ng Hoa\u0300 Kha\u0301nh";
        Assert.False(decomposed.IsNormalized(NormalizationForm.FormC));

        var normalized = VietnameseText.Normalize(decomposed);

        Assert.Equal("Phường Hoà Khánh", normalized);
        Assert.True(normalized.IsNormalized(NormalizationForm.FormC));
    }

    [Theory]
    [InlineData("hòa", "hoà")]
    [InlineData("thúy", "thuý")]
    [InlineData("Hòa Vang", "Hoà Vang")]
    [InlineData("hóa đơn", "hoá đơn")]
    [InlineData("khỏe", "khoẻ")]
    [InlineData("Thủy, Hòa.", "Thuỷ, Hoà.")]
    public void Both_tone_mark_placements_compare_equal_after_Normalize(string oldStyle, string modernStyle)
    {
        Assert.NotEqual(oldStyle, modernStyle);
        Assert.Equal(VietnameseText.Normalize(modernStyle), VietnameseText.Normalize(oldStyle));
    }

    [Theory]
    [InlineData("hoàng")]
    [InlineData("Hoàng Sa")]
    [InlineData("ngoài")]
    [InlineData("quý")]
    public void Normalize_leaves_marks_that_are_not_in_an_open_syllable_untouched(string text)
    {
        Assert.Equal(text, VietnameseText.Normalize(text));
    }

    [Fact]
    public void All_caps_tone_mark_placements_compare_equal_after_Normalize()
    {
        // Signs, forms and some residents write in capitals: "HÒA VANG" is the same place as "HOÀ VANG".
        Assert.Equal(VietnameseText.Normalize("HOÀ VANG"), VietnameseText.Normalize("HÒA VANG"));
    }

    [Fact]
    public void Fold_lowercases_and_strips_diacritics_and_punctuation()
    {
        Assert.Equal("phuong hoa khanh", VietnameseText.Fold("Phường Hoà Khánh!"));
    }

    [Fact]
    public void Decomposed_input_folds_like_precomposed()
    {
        Assert.Equal(VietnameseText.Fold("Phường Hoà Khánh"), VietnameseText.Fold("Phu\u031bo\u031b\u0300ng Hoa\u0300 Kha\u0301nh"));
    }

    [Theory]
    [InlineData("đường", "duong")]
    [InlineData("Đà Nẵng", "da nang")]
    [InlineData("\u00D0à Nẵng", "da nang")] // Ð (eth), the look-alike some keyboards produce
    [InlineData("ĐĐđđ", "dddd")]
    public void D_with_stroke_and_its_look_alike_fold_to_d(string text, string expected)
    {
        Assert.Equal(expected, VietnameseText.Fold(text));
    }

    [Theory]
    [InlineData("Cướp!!!   😀😀 ở   đây...", "cuop o day")]
    [InlineData("😀 trộm 🚨🚨 xe 👍", "trom xe")]
    [InlineData("--- ma-túy ---", "ma tuy")]
    [InlineData("a\t\r\nb", "a b")]
    public void Emoji_and_punctuation_collapse_to_single_spaces(string text, string expected)
    {
        Assert.Equal(expected, VietnameseText.Fold(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("😀😀😀")]
    [InlineData(" ?! ")]
    public void Fold_of_nothing_readable_is_empty(string? text)
    {
        Assert.Equal("", VietnameseText.Fold(text));
    }

    [Fact]
    public void Half_a_surrogate_pair_becomes_the_replacement_character_and_whole_pairs_stay()
    {
        Assert.Equal("Hải\uFFFDChâu 😀", VietnameseText.Normalize("Hải\uD800Châu 😀"));
        Assert.Equal("\uFFFD", VietnameseText.Normalize("\uDC00"));
        Assert.Equal("hai chau", VietnameseText.Fold("Hải Châu\uD83D"));
    }
}
