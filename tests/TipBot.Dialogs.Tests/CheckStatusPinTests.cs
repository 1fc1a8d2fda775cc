using Microsoft.Extensions.Time.Testing;
using TipBot.Core.Messaging;
using TipBot.Dialogs.Conversations;
using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Tests;

public class CheckStatusPinTests
{
    private const string Code = "TB-4K7P2M", Unknown = "TB-9Z9Z9Z";
    private static readonly DateTimeOffset ReceivedAt = new(2026, 1, 15, 3, 30, 0, TimeSpan.Zero); // 10:30 in Vietnam
    private static readonly string Pin = TestFlow.Pins.PinFor(Code);

    private static TestFlow NewFlow(string chatId = "another-phone", FakeTimeProvider? clock = null)
    {
        var tips = new FakeTipLookup();
        tips.Tips[Code] = new TipStatusView(Code, "accepted", "Phường Hải Châu", ReceivedAt, new ChatAddress("telegram", TestDirectory.ResidentChat));
        return new TestFlow(TestDirectory.Create(), chatId: chatId, tips: tips, clock: clock);
    }

    private static string WrongPin => Pin == "000000" ? "111111" : "000000";

    [Theory]
    [InlineData("/status {0} {1}")]
    [InlineData("/status tb 4k7p2m {1}")]
    [InlineData("/status {0} {2}")]
    [InlineData("/status@TipBotDaNangBot tb4k7p2m {2}")]
    public void The_right_PIN_from_another_chat_shows_the_status(string command)
    {
        var flow = NewFlow();

        flow.Send(string.Format(System.Globalization.CultureInfo.InvariantCulture, command, Code, Pin, Pin[..3] + " " + Pin[3..]))
            .AssertReplyIs("StatusView", Code, "10:30 15/01/2026", flow.Text("Status_accepted", "Phường Hải Châu"))
            .AssertNoMoreReplies();
        Assert.Empty(flow.State!.Stack);
    }

    [Fact]
    public void From_the_menu_another_chat_is_asked_the_PIN_and_may_type_it_with_spaces()
    {
        var flow = NewFlow();

        flow.Press(Payloads.MenuStatus).AssertReplyIs("AskStatusCode");
        flow.Send(Code.ToLowerInvariant()).AssertReplyIs("AskStatusPin").AssertNoMoreReplies();
        Assert.Equal("pin", Assert.Single(Assert.Single(flow.State!.Stack).Inner!).Id);
        flow.Send(Pin[..3] + " " + Pin[3..])
            .AssertReplyIs("StatusView", Code, "10:30 15/01/2026", flow.Text("Status_accepted", "Phường Hải Châu"))
            .AssertNoMoreReplies();
    }

    [Fact]
    public void A_wrong_PIN_gets_exactly_the_answer_of_an_unknown_code()
    {
        var wrong = NewFlow().Send($"/status {Code} {WrongPin}");
        var unknown = NewFlow().Send($"/status {Unknown} {TestFlow.Pins.PinFor(Unknown)}");

        wrong.AssertReplyIs("StatusNotFound", Code).AssertNoMoreReplies();
        unknown.AssertReplyIs("StatusNotFound", Unknown).AssertNoMoreReplies();

        // Through the questions too: an unknown code is asked the PIN just like a real one.
        var asked = NewFlow().Press(Payloads.MenuStatus).Send(Unknown).AssertReplyIs("AskStatusPin").AssertNoMoreReplies();
        asked.Send(TestFlow.Pins.PinFor(Unknown)).AssertReplyIs("StatusNotFound", Unknown).AssertNoMoreReplies();
    }

    [Fact]
    public void The_submitters_own_chat_needs_no_PIN()
    {
        var flow = NewFlow(chatId: TestDirectory.ResidentChat);

        flow.Press(Payloads.MenuStatus).Send(Code)
            .AssertReplyIs("StatusView", Code, "10:30 15/01/2026", flow.Text("Status_accepted", "Phường Hải Châu"))
            .AssertNoMoreReplies();
    }

    [Fact]
    public void Five_wrong_PINs_lock_PIN_checks_for_a_while_even_for_the_right_PIN()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 2, 1, 8, 0, 0, TimeSpan.Zero));
        var flow = NewFlow(clock: clock);

        for (var i = 0; i < CheckStatusDialog.MaxPinFailures; i++)
            flow.Send($"/status {Code} {WrongPin}").AssertReplyIs("StatusNotFound", Code);

        flow.Send($"/status {Code} {Pin}").AssertReplyIs("StatusPinLocked", 30).AssertNoMoreReplies();
        flow.Press(Payloads.MenuStatus).Send(Code).AssertReplyIs("StatusPinLocked", 30).AssertNoMoreReplies();
        Assert.Empty(flow.State!.Stack);

        clock.Advance(CheckStatusDialog.PinLockout);
        flow.Send($"/status {Code} {Pin}").AssertReplyIs("StatusView", Code, "10:30 15/01/2026", flow.Text("Status_accepted", "Phường Hải Châu"));
    }

    [Fact]
    public void A_malformed_PIN_is_asked_once_more_then_treated_as_not_found()
    {
        var flow = NewFlow().Press(Payloads.MenuStatus).Send(Code).SkipReplies();

        flow.Send("1234").AssertReplyIs("AskStatusPin").AssertNoMoreReplies();
        flow.Send("abc").AssertReplyIs("StatusNotFound", Code).AssertNoMoreReplies();
        Assert.Empty(flow.State!.Stack);
        Assert.Equal(0, flow.State.PinFailures);
    }

    [Fact]
    public void The_PIN_is_six_digits_keyed_by_the_server_key_and_shown_at_submission()
    {
        var other = new KeyedTipPins("another-key"u8.ToArray());
        Assert.Matches("^[0-9]{6}$", Pin);
        Assert.Equal(Pin, TestFlow.Pins.PinFor(Code));
        Assert.NotEqual(Pin, other.PinFor(Code));
        Assert.NotEqual(Pin, TestFlow.Pins.PinFor(Unknown));

        var flow = new TestFlow(TestDirectory.Create()).Send("Có người bán ma túy ở phường Hải Châu, gần chợ Hàn")
            .Press("time:today").Press(Payloads.AnonymousYes).Press(Payloads.Send);
        var tip = flow.SingleCommand<SubmitTip>();
        var confirmation = flow.LastReplies.Single().Text;
        Assert.Contains(TestFlow.Pins.PinFor(tip.Code), confirmation, StringComparison.Ordinal);
        Assert.Equal(flow.Text("SubmittedWithPin", tip.Code, TestFlow.Pins.PinFor(tip.Code)), confirmation);
    }
}
