using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Tests;

public class ConversationStateTests
{
    [Fact]
    public void A_tip_in_progress_fits_in_2_KB_of_plain_stored_JSON()
    {
        var flow = new TestFlow(TestDirectory.Create());
        flow.Send("xin chào")
            .Send("Tối qua khoảng 10 giờ có hai thanh niên đi xe máy Exciter biển số 43C1-123.45 đến bán ma túy " +
                  "cho mấy người trong quán cà phê đầu kiệt 45 ở phường Hải Châu, tuần nào cũng thấy mấy lần.")
            .SkipToLastReply().AssertReplyIs("AskTime");

        Assert.True(flow.StateBytes <= 2048, $"state is {flow.StateBytes} bytes: {flow.StateJson}");
        Assert.DoesNotContain("$type", flow.StateJson!, StringComparison.Ordinal);
        Assert.Equal("20242", Assert.Single(flow.State!.Stack).Get("unit"));
    }
}
