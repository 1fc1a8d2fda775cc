using TipBot.Core.Messaging;
using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Tests;

public class CheckStatusDialogTests
{
    private const string Code = "TB-4K7P2M";
    private static readonly DateTimeOffset ReceivedAt = new(2026, 1, 15, 3, 30, 0, TimeSpan.Zero); // 10:30 in Vietnam

    private static (TestFlow Flow, FakeTipLookup Tips) NewFlow(string reporterChat)
    {
        var tips = new FakeTipLookup();
        tips.Tips[Code] = new TipStatusView(Code, "accepted", "Phường Hải Châu", ReceivedAt, new ChatAddress("telegram", reporterChat));
        return (new TestFlow(TestDirectory.Create(), tips: tips), tips);
    }

    [Theory]
    [InlineData("/status TB-4K7P2M")]
    [InlineData("/status tb 4k7p2m")]
    [InlineData("/status@TipBotDaNangBot TB4K7P2M")]
    public void Status_of_an_own_tip_shows_its_progress_in_Vietnam_time(string command)
    {
        var (flow, _) = NewFlow(TestDirectory.ResidentChat);

        flow.Send(command)
            .AssertReplyIs("StatusView", Code, "10:30 15/01/2026", flow.Text("Status_accepted", "Phường Hải Châu"))
            .AssertNoMoreReplies()
            .AssertNoCommand();
        Assert.Empty(flow.State!.Stack);
    }

    [Fact]
    public void Status_of_a_tip_from_another_chat_is_not_found()
    {
        var (flow, _) = NewFlow("someone-else");

        flow.Send("/status " + Code).AssertReplyIs("StatusNotFound", Code).AssertNoMoreReplies();
        Assert.DoesNotContain(flow.LastReplies, r => r.Text.Contains("Phường Hải Châu", StringComparison.Ordinal));
    }
}
