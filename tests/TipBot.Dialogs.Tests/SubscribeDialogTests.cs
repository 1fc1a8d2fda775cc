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
