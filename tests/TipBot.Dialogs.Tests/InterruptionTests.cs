using System.Text;
using TipBot.Core.Messaging;
using TipBot.Core.Text;
using TipBot.Dialogs.Conversations;
using TipBot.Dialogs.Engine;
using TipBot.Dialogs.Resources;

namespace TipBot.Dialogs.Tests;

public class InterruptionTests
{
    private static readonly string[] MenuButtons = [Payloads.MenuReport, Payloads.MenuStatus, Payloads.MenuAddInfo, Payloads.MenuNotices, Payloads.MenuHelp];

    private static TestFlow NewFlow() => new(TestDirectory.Create());

    [Theory]
    [InlineData("/cancel")]
    [InlineData("hủy")]
    [InlineData("Hủy")]
    [InlineData("huy")]
    [InlineData("hủy bỏ")]
    public void Cancel_in_the_middle_clears_the_conversation_and_a_later_message_starts_fresh(string cancel)
    {
        var flow = NewFlow();
        flow.Send("Có người bán ma túy ở phường Hải Châu").SkipToLastReply().AssertReplyIs("AskTime");

        flow.Send(cancel).AssertReplyIs("Cancelled").AssertNoMoreReplies().AssertNoCommand();
        Assert.Empty(flow.State!.Stack);

        flow.Send("Có người trộm xe máy ở phường Hoà Cường").AssertReplyIs("AskTime").AssertNoMoreReplies();
        flow.Press("time:today").Press(Payloads.AnonymousYes).Press(Payloads.Send);

        var tip = flow.SingleCommand<SubmitTip>();
        Assert.Equal("Có người trộm xe máy ở phường Hoà Cường", tip.Description);
        Assert.Equal(TestDirectory.HoaCuong, tip.UnitCode);
        Assert.Equal("theft", tip.Category);
    }

    [Fact]
    public void Danger_happening_now_gets_113_first_then_the_conversation_continues()
    {
        var flow = NewFlow();
        flow.Send("Đang có người cầm dao ở phường Hải Châu")
            .AssertReply(r =>
            {
                Assert.Equal(flow.Text("Emergency"), r.Text);
                Assert.Contains("113", r.Text);
            })
            .AssertReplyIs("Greeting")
            .AssertReplyIs("Privacy")
            .AssertReplyIs("AskCategory")
            .AssertNoMoreReplies();

        flow.Press("cat:violence").AssertReplyIs("AskTime");
        flow.Send("hôm nay").Press(Payloads.AnonymousYes).Press(Payloads.Send);

        var tip = flow.SingleCommand<SubmitTip>();
        Assert.True(tip.Urgent);
        Assert.Equal("violence", tip.Category);
        Assert.Equal(TestDirectory.HaiChau, tip.UnitCode);
    }

    public static TheoryData<string> NothingReadable => ["sticker", "empty", "whitespace", "emoji"];

    private static TestFlow SendNothingReadable(TestFlow flow, string kind) => kind switch
    {
        "sticker" => flow.SendAttachment(AttachmentKind.Sticker),
        "empty" => flow.Send(""),
        "whitespace" => flow.Send("   \n "),
        _ => flow.Send("😀😀👍"),
    };

    [Theory]
    [MemberData(nameof(NothingReadable))]
    public void A_first_message_without_words_gets_the_greeting_and_the_menu(string kind)
    {
        var flow = SendNothingReadable(NewFlow(), kind);

        flow.AssertReplyIs("Greeting").AssertReplyIs("Privacy").AssertButtons(MenuButtons).AssertNoMoreReplies().AssertNoCommand();
    }

    [Theory]
    [MemberData(nameof(NothingReadable))]
    public void A_message_without_words_during_a_question_asks_it_again(string kind)
    {
        var flow = NewFlow();
        flow.Send("Có người bán ma túy ở phường Hải Châu").SkipToLastReply().AssertReplyIs("AskTime");

        SendNothingReadable(flow, kind).AssertReplyIs("AskTime").AssertNoMoreReplies().AssertNoCommand();
    }

    [Fact]
    public void A_10000_character_message_is_truncated_to_2000_characters()
    {
        var sb = new StringBuilder("Có người bán ma túy ở phường Hải Châu. ");
        while (sb.Length < 10_000) sb.Append("Tối nào cũng có xe lạ ra vào con hẻm, đậu trước nhà số 12. ");
        var text = sb.ToString(0, 10_000);
        var flow = NewFlow();

        flow.Send(text)
            .AssertReplyIs("Greeting")
            .AssertReplyIs("Privacy")
            .AssertReplyIs("TextTruncated", ReportTipDialog.MaxDescriptionLength)
            .AssertReplyIs("AskTime")
            .AssertNoMoreReplies();
        flow.Send("bỏ qua").Press(Payloads.AnonymousYes)
            .AssertReply(r => Assert.True(r.Text.Length < 1000, $"summary is {r.Text.Length} characters"));
        flow.Press(Payloads.Send);

        var tip = flow.SingleCommand<SubmitTip>();
        Assert.Equal(2000, tip.Description.Length);
        Assert.StartsWith(tip.Description, VietnameseText.Normalize(text), StringComparison.Ordinal);
        Assert.Equal(TestDirectory.HaiChau, tip.UnitCode);
    }

    [Fact]
    public void A_button_pressed_after_the_state_expired_restarts_with_the_menu()
    {
        var flow = NewFlow();

        flow.Press(Payloads.Send)
            .AssertReplyIs("Expired")
            .AssertReplyIs("Greeting")
            .AssertReplyIs("Privacy")
            .AssertButtons(MenuButtons)
            .AssertNoMoreReplies();

        Assert.Empty(flow.Commands);
    }

    [Fact]
    public void English_switches_the_replies_and_Vietnamese_switches_back()
    {
        var flow = NewFlow();

        flow.Send("/en").AssertReply(r => Assert.Equal("Switched to English.", r.Text)).AssertNoMoreReplies();
        Assert.Equal("en", flow.Culture);

        flow.Send("Có người bán ma túy ở phường Hải Châu")
            .AssertReply(r => Assert.Equal(Texts.Get("en", "Greeting"), r.Text))
            .AssertReplyIs("Privacy")
            .AssertReply(r =>
            {
                Assert.Equal("When did it happen?", r.Text);
                Assert.Equal(["Today", "Yesterday", "Earlier", "Don't remember"], r.ButtonsOrEmpty.Select(b => b.Label));
            });
        flow.Send("yesterday").AssertReply(r => Assert.StartsWith("Do you want to stay anonymous?", r.Text));

        flow.Send("/vi").AssertReply(r => Assert.Equal("Đã chuyển sang tiếng Việt.", r.Text));
        Assert.Equal("vi", flow.Culture);
        flow.Press(Payloads.AnonymousYes).AssertReply(r => Assert.StartsWith("Xin kiểm tra lại tin báo", r.Text));
        flow.Press(Payloads.Send);

        var tip = flow.SingleCommand<SubmitTip>();
        Assert.Equal("vi", tip.Culture);
        Assert.Equal("Hôm qua", tip.TimeText);
    }
}
