using System.Text.RegularExpressions;
using TipBot.Core.Classification;
using TipBot.Core.Messaging;
using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Tests;

public class ReportTipDialogTests
{
    private static readonly string[] TimeButtons = ["time:today", "time:yesterday", "time:earlier", "time:unknown"];
    private static readonly string[] AnonymityButtons = [Payloads.AnonymousYes, Payloads.AnonymousNo];
    private static readonly string[] ConfirmButtons = [Payloads.Send, Payloads.Edit, Payloads.Cancel];
    private static readonly string[] MenuButtons = [Payloads.MenuReport, Payloads.MenuStatus, Payloads.MenuAddInfo, Payloads.MenuNotices, Payloads.MenuHelp];

    private static TestFlow NewFlow() => new(TestDirectory.Create());

    [Fact]
    public void Full_tip_with_diacritics_asks_only_what_is_missing_and_submits_once()
    {
        const string typed = "Có người bán ma túy ở phường Hải Châu, gần chợ Hàn";
        // Stored as normalised: NFC with the tone mark on the second vowel ("tuý").
        const string description = "Có người bán ma tuý ở phường Hải Châu, gần chợ Hàn";
        var flow = NewFlow();

        flow.Send("xin chào")
            .AssertReplyIs("Greeting")
            .AssertReplyIs("Privacy")
            .AssertButtons(MenuButtons)
            .AssertNoMoreReplies();

        flow.Send(typed)
            .AssertReply(r =>
            {
                Assert.Equal(flow.Text("AskTime"), r.Text);
                Assert.Equal(TimeButtons, r.ButtonsOrEmpty.Select(b => b.Payload));
                Assert.Equal(["Hôm nay", "Hôm qua", "Trước đó", "Không nhớ"], r.ButtonsOrEmpty.Select(b => b.Label));
            })
            .AssertNoMoreReplies()
            .AssertNoCommand();

        flow.Press("time:today")
            .AssertReplyIs("AskAnonymous")
            .AssertNoMoreReplies();
        Assert.Equal(AnonymityButtons, flow.LastReplies[0].ButtonsOrEmpty.Select(b => b.Payload));

        var summary = flow.Text("Summary", description, Categories.Get("drugs").NameVi, "Phường Hải Châu", "Hôm nay", "Không có", "Ẩn danh");
        flow.Press(Payloads.AnonymousYes)
            .AssertReply(r =>
            {
                Assert.Equal(summary, r.Text);
                Assert.Equal(ConfirmButtons, r.ButtonsOrEmpty.Select(b => b.Payload));
                Assert.Equal(["Gửi", "Sửa", "Hủy"], r.ButtonsOrEmpty.Select(b => b.Label));
            })
            .AssertNoMoreReplies()
            .AssertNoCommand();

        flow.Press(Payloads.Send);

        var tip = flow.SingleCommand<SubmitTip>();
        Assert.Matches(new Regex("^TB-[0-9A-HJKMNP-TV-Z]{6}$"), tip.Code);
        Assert.Equal(description, tip.Description);
        Assert.Equal("drugs", tip.Category);
        Assert.Equal(TestDirectory.HaiChau, tip.UnitCode);
        Assert.Equal("Hôm nay", tip.TimeText);
        Assert.True(tip.Anonymous);
        Assert.Null(tip.ContactPhone);
        Assert.False(tip.Urgent);
        Assert.Equal(0, tip.EvidenceCount);
        Assert.Equal(new ChatAddress("telegram", TestDirectory.ResidentChat), tip.Reporter);
        Assert.Equal("vi", tip.Culture);
        Assert.Equal(7, tip.SubmissionId.Version); // time-ordered: lands at the end of the tips' index
        flow.AssertReply(r => Assert.Equal(flow.Text("SubmittedWithPin", tip.Code, TestFlow.Pins.PinFor(tip.Code)), r.Text)).AssertNoMoreReplies();
        Assert.Empty(flow.State!.Stack);
    }

    [Fact]
    public void Same_tip_without_diacritics_in_teencode_with_typed_button_labels()
    {
        var flow = NewFlow();

        flow.Send("co nguoi ban ma tuy o p. hai chau gan cho han").SkipToLastReply().AssertReplyIs("AskTime");
        flow.Send("hom qua").AssertReplyIs("AskAnonymous");
        flow.Send("ko").AssertReplyIs("AskPhone");
        flow.Send("bo qua").AssertReply(r => Assert.Equal(ConfirmButtons, r.ButtonsOrEmpty.Select(b => b.Payload)));
        flow.Send("ok");

        var tip = flow.SingleCommand<SubmitTip>();
        Assert.Equal(TestDirectory.HaiChau, tip.UnitCode);
        Assert.Equal("drugs", tip.Category);
        Assert.Equal("Hôm qua", tip.TimeText);
        Assert.True(tip.Anonymous);
        Assert.Null(tip.ContactPhone);
        flow.AssertReply(r => Assert.Contains(tip.Code, r.Text));
    }

    [Fact]
    public void Choices_by_number_and_a_phone_number_with_spaces_are_understood()
    {
        var flow = NewFlow();

        flow.Send("co nguoi ban ma tuy o phuong hai chau").SkipToLastReply().AssertReplyIs("AskTime");
        flow.Send("2").AssertReplyIs("AskAnonymous");
        flow.Send("2").AssertReplyIs("AskPhone");
        flow.Send("0905 123 456").AssertReply(r => Assert.Contains(flow.Text("Identity_phone"), r.Text));
        flow.Send("gui");

        var tip = flow.SingleCommand<SubmitTip>();
        Assert.Equal("Hôm qua", tip.TimeText);
        Assert.False(tip.Anonymous);
        Assert.Equal("0905123456", tip.ContactPhone);
    }

    [Theory]
    [InlineData("co", true)]
    [InlineData("có", true)]
    [InlineData("ok", true)]
    [InlineData("giu an danh", true)]
    [InlineData("1", true)]
    [InlineData("bo qua", true)]
    [InlineData("ko", false)]
    [InlineData("k", false)]
    [InlineData("không", false)]
    [InlineData("Để lại số điện thoại", false)]
    public void Anonymity_answers_are_understood_as_residents_type_them(string answer, bool anonymous)
    {
        var flow = NewFlow();
        flow.Send("co nguoi ban ma tuy o phuong hai chau").Press("time:today").Send(answer);
        if (!anonymous) flow.AssertReplyIs("AskPhone").Send("+84 905 123 456");
        flow.Press(Payloads.Send);

        var tip = flow.SingleCommand<SubmitTip>();
        Assert.Equal(anonymous, tip.Anonymous);
        Assert.Equal(anonymous ? null : "0905123456", tip.ContactPhone);
    }

    [Theory]
    [InlineData("bỏ qua")]
    [InlineData("skip")]
    [InlineData("Bỏ Qua!")]
    public void Optional_time_can_be_skipped(string answer)
    {
        var flow = NewFlow();
        flow.Send("Có người bán ma túy ở phường Hải Châu").SkipToLastReply().AssertReplyIs("AskTime");

        flow.Send(answer).AssertReplyIs("AskAnonymous");
        flow.Press(Payloads.AnonymousYes).AssertReply(r => Assert.Contains("Thời gian: " + flow.Text("NotKnown"), r.Text));
        flow.Press(Payloads.Send);

        Assert.Null(flow.SingleCommand<SubmitTip>().TimeText);
    }

    [Fact]
    public void Ambiguous_place_is_asked_with_a_button_per_unit_and_a_press_fills_it()
    {
        var flow = NewFlow();
        flow.Send("Có người tổ chức đánh bạc gần chợ").SkipToLastReply()
            .AssertReply(r =>
            {
                Assert.Equal(flow.Text("AskPlace"), r.Text);
                Assert.Equal([Payloads.PlaceUnknown], r.ButtonsOrEmpty.Select(b => b.Payload));
            });

        flow.Send("Hải Châu")
            .AssertReply(r =>
            {
                Assert.Equal(flow.Text("AskPlaceWhich", "Hải Châu"), r.Text);
                Assert.Equal(["place:20242", "place:20257", Payloads.PlaceUnknown], r.ButtonsOrEmpty.Select(b => b.Payload));
                Assert.Equal(["Phường Hải Châu", "Phường Hoà Cường", "Không rõ"], r.ButtonsOrEmpty.Select(b => b.Label));
            })
            .AssertNoMoreReplies();

        flow.Press("place:" + TestDirectory.HoaCuong).AssertReplyIs("AskTime");
        flow.Send("bỏ qua").Press(Payloads.AnonymousYes).Press(Payloads.Send);

        var tip = flow.SingleCommand<SubmitTip>();
        Assert.Equal(TestDirectory.HoaCuong, tip.UnitCode);
        Assert.Equal("gambling", tip.Category);
    }

    [Fact]
    public void Unknown_place_is_accepted_after_two_unrecognised_answers()
    {
        var flow = NewFlow();
        flow.Send("Có người tổ chức đánh bạc gần chợ").SkipToLastReply().AssertReplyIs("AskPlace");

        flow.Send("gần cầu Rồng")
            .AssertReply(r =>
            {
                Assert.Equal(flow.Text("PlaceNotFound", "gần cầu Rồng"), r.Text);
                Assert.Equal([Payloads.PlaceUnknown], r.ButtonsOrEmpty.Select(b => b.Payload));
            })
            .AssertNoMoreReplies();
        flow.Send("đường Bạch Đằng").AssertReplyIs("AskTime");
        flow.Send("bỏ qua").Press(Payloads.AnonymousYes)
            .AssertReply(r => Assert.Contains("Địa bàn: đường Bạch Đằng", r.Text));
        flow.Press(Payloads.Send);

        var tip = flow.SingleCommand<SubmitTip>();
        Assert.Null(tip.UnitCode);
        Assert.Equal("đường Bạch Đằng", tip.PlaceText);
    }

    [Theory]
    [InlineData("Địa bàn")]
    [InlineData("2")]
    [InlineData("button")]
    public void Edit_place_from_the_summary_asks_the_place_again_then_shows_the_summary(string choice)
    {
        var flow = NewFlow();
        flow.Send("Có người bán ma túy ở phường Hải Châu").Press("time:today").Press(Payloads.AnonymousYes)
            .AssertReply(r => Assert.Contains("Địa bàn: Phường Hải Châu", r.Text));

        flow.Press(Payloads.Edit)
            .AssertReply(r =>
            {
                Assert.Equal(flow.Text("AskEditField"), r.Text);
                Assert.Equal(["edit:description", "edit:place", "edit:time", "edit:anonymous"], r.ButtonsOrEmpty.Select(b => b.Payload));
            });
        if (choice == "button") flow.Press("edit:place");
        else flow.Send(choice);
        flow.AssertReplyIs("AskPlace").AssertNoMoreReplies();
        flow.Send("phường Hòa Cường")
            .AssertReply(r =>
            {
                Assert.Contains("Địa bàn: Phường Hoà Cường", r.Text);
                Assert.Contains("Thời gian: Hôm nay", r.Text);
                Assert.Equal(ConfirmButtons, r.ButtonsOrEmpty.Select(b => b.Payload));
            })
            .AssertNoMoreReplies()
            .AssertNoCommand();
        flow.Press(Payloads.Send);

        Assert.Equal(TestDirectory.HoaCuong, flow.SingleCommand<SubmitTip>().UnitCode);
    }
}
