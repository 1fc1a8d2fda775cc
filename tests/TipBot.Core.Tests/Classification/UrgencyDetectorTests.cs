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

    [Theory]
    [InlineData("tui no dang dap pha quan karaoke, 10 may dua cam ong tuyp")]
    [InlineData("chừ có thằng cầm mã tấu đứng trước cổng nhà tui")]
    [InlineData("vua bi giat dt o nga tu, thang do chay ve huong cau")]
    [InlineData("co nguoi nam bat tinh ngoai bai rac, ai gan do goi 115 giup")]
    [InlineData("ck cu cua e dang dung truoc nha cam dao doa giet")]
    public void Danger_now_in_teencode_dialect_or_without_diacritics_is_urgent(string text)
    {
        Assert.True(_urgency.IsUrgent(text));
        Assert.True(UrgencyDetector.MatchesRules(text), "the rules alone catch it, even without the model");
    }

    [Theory]
    [InlineData("tuần trước có đứa cầm dao đi ngang qua xóm, giờ không thấy nữa, cho hỏi có cần báo không")]
    [InlineData("hom qua toi bi lua chuyen khoan 2 trieu qua zalo")]
    [InlineData("quán karaoke đầu kiệt đêm nào cũng hát tới khuya")]
    public void Past_habitual_or_question_tips_are_not_urgent_by_the_rules(string text)
    {
        Assert.False(UrgencyDetector.MatchesRules(text));
    }

    [Fact]
    public void Without_its_model_the_detector_still_works_on_rules()
    {
        var rulesOnly = new UrgencyDetector(model: null);
        Assert.False(rulesOnly.HasModel);
        Assert.True(rulesOnly.IsUrgent("dang co nguoi cam dao chem nhau"));
        Assert.False(rulesOnly.IsUrgent("tuan truoc bi mat xe dap"));
    }

    [Fact]
    public void The_shipped_urgency_model_is_used_when_present()
    {
        Assert.True(_urgency.HasModel, "Classification/Model/urgency-model.zip ships with the classifier model");
    }
}
