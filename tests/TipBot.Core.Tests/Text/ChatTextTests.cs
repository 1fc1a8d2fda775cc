using TipBot.Core.Text;

namespace TipBot.Core.Tests;

public class ChatTextTests
{
    [Theory]
    [InlineData("ko dc j", "khong duoc gi")]
    [InlineData("k đc đâu", "khong duoc dau")]
    [InlineData("Đc r, tui biết r", "duoc roi toi biet roi")]
    [InlineData("vs ng lạ", "voi nguoi la")]
    [InlineData("lam ntn", "lam nhu the nao")]
    [InlineData("cho e xin stk", "cho em xin so tai khoan")]
    [InlineData("sđt của nó", "so dien thoai cua no")]
    [InlineData("mn ơi", "moi nguoi oi")]
    public void Teencode_is_written_out(string text, string expected)
    {
        Assert.Equal(expected, ChatText.Canonical(text));
    }

    [Fact]
    public void Ck_stays_itself_because_it_is_either_husband_or_bank_transfer()
    {
        Assert.Equal("ck em no danh em", ChatText.Canonical("ck e nó đánh e"));
    }

    [Theory]
    [InlineData("chừ nó đang ở mô", "bay gio no dang o dau")]
    [InlineData("răng rứa", "sao vay")]
    public void Central_dialect_with_its_marks_is_written_out(string text, string expected)
    {
        Assert.Equal(expected, ChatText.Canonical(text));
    }

    [Theory]
    [InlineData("mở cửa", "mo cua")] // "mở" is not the dialect "mô"
    [InlineData("ông chủ", "ong chu")] // "chủ" is not "chừ"
    [InlineData("đầu hẻm", "dau hem")] // an alley, not "không"
    [InlineData("ê, mày", "e may")] // a call for attention, not "em"
    public void Words_that_only_fold_like_chat_spellings_are_left_alone(string text, string expected)
    {
        Assert.Equal(expected, ChatText.Canonical(text));
    }

    [Theory]
    [InlineData("dduowcj", "duoc")]
    [InlineData("ddang co mays thawngf", "dang co mays thang")]
    [InlineData("khoong bieets", "khong biet")]
    public void Telex_typed_with_the_vietnamese_keyboard_off_is_decoded(string text, string expected)
    {
        Assert.Equal(expected, ChatText.Canonical(text));
    }

    [Theory]
    [InlineData("xe bus", "xe bus")]
    [InlineData("tour Bà Nà", "tour ba na")]
    [InlineData("đi bar", "di bar")]
    public void Loanwords_are_not_taken_for_telex(string text, string expected)
    {
        Assert.Equal(expected, ChatText.Canonical(text));
    }

    [Fact]
    public void Text_with_and_without_diacritics_has_one_canonical_form()
    {
        Assert.Equal(ChatText.Canonical("Có người bán ma túy ở đầu kiệt, không ai dám nói"),
                     ChatText.Canonical("co ng ban ma tuy o dau kiet, ko ai dam noi"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("😀😀👍")]
    [InlineData("\u0000\u0007\u001b\u200b\r\n\t")]
    [InlineData("!!! ??? ...")]
    public void Nothing_to_read_gives_an_empty_canonical_form(string? text)
    {
        Assert.Equal("", ChatText.Canonical(text));
    }

    [Fact]
    public void The_worst_case_expansion_fits_the_buffer_it_is_given()
    {
        var text = string.Join(' ', Enumerable.Repeat("k csgt mn", 400)) + " k";
        var canonical = ChatText.Canonical(text);
        Assert.StartsWith("khong canh sat giao thong moi nguoi khong", canonical, StringComparison.Ordinal);
        Assert.EndsWith("khong", canonical, StringComparison.Ordinal);
        Assert.True(canonical.Length <= ChatText.CanonicalCapacity(text.Length));
    }
}
