using TipBot.Core.Classification;

namespace TipBot.Core.Tests;

public class UrgencyDetectorTests
{
    private readonly UrgencyDetector _urgency = new();

    [Theory]
    [InlineData("đang có người cầm dao chém nhau")]
    [InlineData("dang co nguoi cam dao chem nhau")]
    [InlineData("ĐANG CÓ NGƯỜI CẦM DAO CHÉM NHAU!!!")]
    [InlineData("cứu với")]
    [InlineData("cuu voi")]
    [InlineData("Cứu với, có người đập cửa")]
    [InlineData("bây giờ có người bị thương nằm giữa đường")]
    public void Danger_happening_now_is_urgent(string text)
    {
        Assert.True(_urgency.IsUrgent(text));
    }

    [Theory]
    [InlineData("tuần trước bị mất xe đạp")]
    [InlineData("tuan truoc bi mat xe dap")]
    [InlineData("có điểm bán vé số đề gần chợ")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("😀😀")]
    public void Past_or_harmless_events_are_not_urgent(string? text)
    {
        Assert.False(_urgency.IsUrgent(text));
    }
}
