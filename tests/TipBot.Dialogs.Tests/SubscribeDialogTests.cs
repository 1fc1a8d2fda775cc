using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Tests;

public class SubscribeDialogTests
{
    private static TestFlow NewFlow() => new(TestDirectory.Create());

    [Theory]
    [InlineData("/dangky phường Hải Châu")]
    [InlineData("/subscribe p. hai chau")]
    public void Subscribing_in_one_message_names_the_unit(string message)
    {
        var flow = NewFlow().Send(message);

        var command = flow.SingleCommand<Subscribe>();
        Assert.Equal((TestDirectory.HaiChau, flow.Address), (command.UnitCode, command.Chat));
        flow.AssertReplyIs("Subscribed", "Phường Hải Châu");
        Assert.Empty(flow.State!.Stack);
    }

    [Fact]
    public void The_menu_button_asks_for_the_place_and_an_ambiguous_name_is_asked_as_buttons()
    {
        var flow = NewFlow().Press(Payloads.MenuNotices).AssertReplyIs("AskSubscribePlace");

        flow.Send("Hải Châu").AssertButtons("sub:" + TestDirectory.HaiChau, "sub:" + TestDirectory.HoaCuong);
        flow.AssertNoCommand();
        flow.Press("sub:" + TestDirectory.HoaCuong);

        Assert.Equal(TestDirectory.HoaCuong, flow.SingleCommand<Subscribe>().UnitCode);
    }

    [Fact]
    public void Stop_unsubscribes_from_everything()
    {
        var flow = NewFlow().Send("/stop");

        Assert.Equal(flow.Address, flow.SingleCommand<Unsubscribe>().Chat);
        flow.AssertReplyIs("Unsubscribed");
    }
}

public class SubscribeByLocationTests
{
    private static TestFlow NewFlow() => new(TestDirectory.Create());

    [Fact]
    public void A_shared_location_subscribes_to_the_unit_it_lies_in()
    {
        var flow = NewFlow().Press(Payloads.MenuNotices).AssertReplyIs("AskSubscribePlace");

        flow.SendLocation(16.0340, 108.2230) // Hoà Cường
            .AssertReplyIs("Subscribed", "Phường Hoà Cường")
            .AssertNoMoreReplies();

        var command = flow.SingleCommand<Subscribe>();
        Assert.Equal((TestDirectory.HoaCuong, flow.Address), (command.UnitCode, command.Chat));
        Assert.Empty(flow.State!.Stack);
    }

    [Fact]
    public void A_location_outside_Da_Nang_is_explained_and_a_name_can_follow()
    {
        var flow = NewFlow().Press(Payloads.MenuNotices).SkipReplies();

        flow.SendLocation(21.0285, 105.8542).AssertReplyIs("SubscribeLocationOutside").AssertNoMoreReplies().AssertNoCommand();
        flow.Send("hai chau").AssertButtons("sub:" + TestDirectory.HaiChau, "sub:" + TestDirectory.HoaCuong);
        flow.Send("Phường Hải Châu").AssertReplyIs("Subscribed", "Phường Hải Châu");
        Assert.Equal(TestDirectory.HaiChau, flow.SingleCommand<Subscribe>().UnitCode);
    }

    [Fact]
    public void Two_answers_that_find_no_place_end_the_question_politely()
    {
        var flow = NewFlow().Send("/dangky Atlantis").AssertReplyIs("SubscribePlaceNotFound", "Atlantis").AssertNoMoreReplies();
        Assert.Single(flow.State!.Stack);

        flow.SendLocation(21.0285, 105.8542).AssertReplyIs("SubscribeLocationOutside").AssertNoMoreReplies();
        Assert.Empty(flow.State!.Stack);
        Assert.Empty(flow.Commands);
    }
}
