using TipBot.Core.Messaging;
using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Tests;

public class AddInfoDialogTests
{
    private static readonly Guid TipId = Guid.NewGuid();

    private static TestFlow FlowWithTip(string owner)
    {
        var tips = new FakeTipLookup();
        tips.Tips["TB-4K7P2M"] = new TipStatusView("TB-4K7P2M", "accepted", "Phường Hải Châu", DateTimeOffset.UtcNow, new ChatAddress("telegram", owner), TipId);
        return new TestFlow(TestDirectory.Create(), tips: tips);
    }

    [Fact]
    public void The_tipster_adds_information_to_their_own_tip_and_it_goes_to_the_officer()
    {
        var flow = FlowWithTip(TestDirectory.ResidentChat);

        flow.Send("/bosung tb-4k7p2m").AssertReplyIs("AskAddInfoText", "TB-4K7P2M");
        flow.Send("Tối nay bọn nó lại tụ tập, có thêm 2 xe SH màu trắng");

        var command = flow.SingleCommand<AnswerOfficer>();
        Assert.True(command.Addition);
        Assert.Equal(TipId, command.TipId);
        Assert.Contains("2 xe SH", command.Answer);
        Assert.Empty(flow.State!.Stack);
    }

    [Fact]
    public void Someone_else_cannot_add_to_a_tip_they_did_not_send()
    {
        var flow = FlowWithTip("someone-else");

        flow.Press(Payloads.MenuAddInfo).AssertReplyIs("AskAddInfoCode");
        flow.Send("TB-4K7P2M").AssertReplyIs("StatusNotFound", "TB-4K7P2M");

        flow.AssertNoCommand();
        Assert.Empty(flow.State!.Stack);
    }

    [Fact]
    public void A_photo_alone_is_added_too_and_an_emoji_asks_again()
    {
        var flow = FlowWithTip(TestDirectory.ResidentChat).Press(Payloads.MenuAddInfo).Send("TB 4K7P2M").SkipReplies();

        flow.Send("👍").AssertReplyIs("AskAddInfoText", "TB-4K7P2M").AssertNoMoreReplies().AssertNoCommand();
        flow.SendAttachment(AttachmentKind.Image);

        Assert.Equal("[+1 📎]", flow.SingleCommand<AnswerOfficer>().Answer);
        Assert.Empty(flow.State!.Stack);
    }

    [Fact]
    public void Two_answers_that_are_no_code_end_the_question_quietly()
    {
        var flow = FlowWithTip(TestDirectory.ResidentChat).Send("/bosung");
        flow.AssertReplyIs("AskAddInfoCode");

        flow.Send("không nhớ").AssertReplyIs("AskAddInfoCode");
        flow.Send("quên rồi").AssertNoMoreReplies().AssertNoCommand();
        Assert.Empty(flow.State!.Stack);
    }
}
