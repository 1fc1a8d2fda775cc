using System.Globalization;
using System.Text;

namespace TipBot.Channels.Tests;

public class TextSplitterTests
{
    private static string WithoutWhitespace(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    [Theory]
    [InlineData("")]
    [InlineData("Đã nhận tin báo.")]
    public void Text_under_the_limit_is_one_part(string text)
    {
        Assert.Equal([text], TextSplitter.Split(text, 4096));
    }

    [Fact]
    public void Long_Vietnamese_text_splits_at_sentence_ends_within_the_limit()
    {
        var sb = new StringBuilder();
        var i = 0;
        while (sb.Length < 10_000) sb.Append($"Tối hôm qua lúc {i++ % 24} giờ có người lạ mặt lảng vảng quanh khu phố Hoà Khánh. ");
        var text = sb.ToString().TrimEnd();

        var parts = TextSplitter.Split(text, 4096);

        Assert.True(parts.Count >= 3);
        Assert.All(parts, p => Assert.InRange(p.Length, 1, 4096));
        Assert.All(parts.SkipLast(1), p => Assert.EndsWith(".", p));
        Assert.Equal(WithoutWhitespace(text), WithoutWhitespace(string.Concat(parts)));
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(4095)]
    [InlineData(2000)]
    [InlineData(1999)]
    public void Emoji_surrogate_pairs_are_never_split(int limit)
    {
        var text = string.Concat(Enumerable.Repeat("😀", 5000));

        var parts = TextSplitter.Split(text, limit);

        Assert.All(parts, p =>
        {
            Assert.InRange(p.Length, 1, limit);
            Assert.False(char.IsLowSurrogate(p[0]), "a part starts with half an emoji");
            Assert.False(char.IsHighSurrogate(p[^1]), "a part ends with half an emoji");
        });
        Assert.Equal(text, string.Concat(parts));
    }

    [Theory]
    [InlineData(4095)]
    [InlineData(2001)]
    public void Combining_sequences_are_not_split(int limit)
    {
        var text = string.Concat(Enumerable.Repeat("e\u0301", 3000)); // é, decomposed

        var parts = TextSplitter.Split(text, limit);

        Assert.All(parts, p =>
        {
            Assert.InRange(p.Length, 1, limit);
            Assert.NotEqual(UnicodeCategory.NonSpacingMark, CharUnicodeInfo.GetUnicodeCategory(p[0]));
        });
        Assert.Equal(text, string.Concat(parts));
    }
}
