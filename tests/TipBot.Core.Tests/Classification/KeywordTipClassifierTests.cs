using System.Text;
using TipBot.Core.Classification;

namespace TipBot.Core.Tests;

public class KeywordTipClassifierTests
{
    private readonly KeywordTipClassifier _classifier = new();

    [Theory]
    [InlineData("bán ma túy", "drugs")]
    [InlineData("ban ma tuy", "drugs")]
    [InlineData("có đám đá gà ăn tiền sau nhà văn hoá", "gambling")]
    [InlineData("bị giả danh công an gọi điện bắt chuyển khoản", "fraud")]
    [InlineData("tụi nó bão đêm, bốc đầu xe trên cầu", "traffic")]
    [InlineData("cát tặc hút cát ban đêm trên sông Thu Bồn", "environment")]
    public void Resident_slang_is_classified(string text, string expected)
    {
        var result = _classifier.Classify(text);
        Assert.Equal(expected, result.Category);
        Assert.InRange(result.Confidence, 0.0, 1.0);
        Assert.True(Categories.Exists(result.Category));
    }

    [Fact]
    public void Two_categories_keep_the_best_and_the_runner_up()
    {
        // A fight over gambling debts: two gambling phrases, one public-disorder phrase.
        var result = _classifier.Classify("đánh nhau vì nợ đánh bạc, ghi đề");
        Assert.Equal("gambling", result.Category);
        Assert.Equal("public_disorder", result.RunnerUp);
        Assert.True(result.Confidence > result.RunnerUpConfidence);
        Assert.True(result.RunnerUpConfidence > 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("😀😀")]
    [InlineData("   ")]
    [InlineData("xin chào")]
    public void Text_with_nothing_to_go_on_is_other_with_low_confidence(string text)
    {
        var result = _classifier.Classify(text);
        Assert.Equal(Category.Other, result.Category);
        Assert.True(result.Confidence < 0.5);
    }

    [Fact]
    public void A_100_KB_message_is_classified_without_exception()
    {
        var sb = new StringBuilder();
        while (sb.Length < 100 * 1024) sb.Append("Có người bán ma túy ở phường Hải Châu 😀 ");
        var result = _classifier.Classify(sb.ToString());
        Assert.Equal("drugs", result.Category);
    }
}
