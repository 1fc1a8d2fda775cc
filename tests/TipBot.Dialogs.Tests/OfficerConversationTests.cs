using TipBot.Core.Messaging;
using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Tests;

public class OfficerConversationTests
{
    private static TestFlow OfficerFlow() => new(TestDirectory.Create(), chatId: TestDirectory.OfficerChat);

    [Fact]
    public void Officer_pressing_accept_gives_one_AcceptAssignment_and_no_reply()
    {
        var assignment = Guid.NewGuid();
        var flow = OfficerFlow();

        flow.Press(Payloads.AcceptPrefix + assignment.ToString("N")).AssertNoMoreReplies();

        var accept = flow.SingleCommand<AcceptAssignment>();
        Assert.Equal(assignment, accept.AssignmentId);
        Assert.Equal(new ChatAddress("telegram", TestDirectory.OfficerChat), accept.Officer);
        Assert.Equal("vi", accept.Culture);
    }

    [Theory]
    [InlineData("xin chào")]
    [InlineData("Có người bán ma túy ở phường Hải Châu")]
    [InlineData("/status TB-4K7P2M")]
    public void Officer_typing_text_gets_the_officer_help(string text)
    {
        var flow = OfficerFlow();
        flow.Send(text).AssertReplyIs("OfficerHelp").AssertNoMoreReplies().AssertNoCommand();
    }
}
