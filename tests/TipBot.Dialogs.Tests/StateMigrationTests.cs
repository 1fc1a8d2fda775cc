using System.Text.Json.Nodes;
using TipBot.Core.Messaging;
using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Tests;

/// <summary>
/// States stored by schema v1 (captured from the code before prompts, in StoredStates/) load and
/// the conversation goes on where it was.
/// </summary>
public class StateMigrationTests
{
    private const string Code = "TB-4K7P2M";

    private static string V1(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "StoredStates", $"v1-{name}.json"));

    private static TestFlow FromV1(string name, ITipLookup? tips = null) =>
        new TestFlow(TestDirectory.Create(), tips: tips).WithStoredState(V1(name));

    [Fact]
    public void A_v1_state_is_migrated_step_by_step_to_the_current_schema()
    {
        var (state, discarded) = StateMigrations.Load(V1("status-asking-code"), TestFlow.StateJsonOptions);

        Assert.False(discarded);
        Assert.Equal(ConversationState.CurrentSchemaVersion, state!.SchemaVersion);
        var frame = Assert.Single(state.Stack);
        Assert.Equal(("status", null, 0), (frame.Id, frame.Awaiting, frame.Attempts));
        Assert.Equal("code", Assert.Single(frame.Inner!).Id);
    }

    [Fact]
    public void A_v1_status_question_continues_with_the_code()
    {
        var tips = new FakeTipLookup();
        tips.Tips[Code] = new TipStatusView(Code, "accepted", "Phường Hải Châu", new DateTimeOffset(2026, 1, 15, 3, 30, 0, TimeSpan.Zero),
            new ChatAddress("telegram", TestDirectory.ResidentChat));

        var flow = FromV1("status-asking-code", tips).Send(Code);

        flow.AssertReplyIs("StatusView", Code, "10:30 15/01/2026", flow.Text("Status_accepted", "Phường Hải Châu")).AssertNoMoreReplies();
        Assert.Empty(flow.State!.Stack);
    }

    [Fact]
    public void A_v1_status_question_keeps_its_attempt_count()
    {
        var json = JsonNode.Parse(V1("status-asking-code"))!;
        json["stack"]![0]!["attempts"] = 1;

        var flow = new TestFlow(TestDirectory.Create()).WithStoredState(json.ToJsonString()).Send("không nhớ");

        flow.AssertReplyIs("StatusNotFound", "không nhớ").AssertNoMoreReplies(); // the second miss, as v1 would have answered
        Assert.Empty(flow.State!.Stack);
    }

    [Fact]
    public void A_v1_subscribe_question_continues_with_a_place_name()
    {
        var flow = FromV1("subscribe-asking-place").Send("phuong hoa cuong");

        flow.AssertReplyIs("Subscribed", "Phường Hoà Cường").AssertNoMoreReplies();
        Assert.Equal(TestDirectory.HoaCuong, flow.SingleCommand<Subscribe>().UnitCode);
    }

    [Fact]
    public void A_v1_tip_in_progress_continues_to_its_submission()
    {
        var flow = FromV1("report-asking-place-which").Press("place:" + TestDirectory.HaiChau);
        flow.AssertReplyIs("AskTime").AssertNoMoreReplies();

        flow.Press("time:today").AssertReplyIs("AskAnonymous");
        flow.Press(Payloads.AnonymousYes).SkipReplies().Press(Payloads.Send);

        var tip = flow.SingleCommand<SubmitTip>();
        Assert.Equal(("drugs", TestDirectory.HaiChau, "Hôm nay"), (tip.Category, tip.UnitCode, tip.TimeText));
        Assert.StartsWith("Có người bán ma tuý ở Hải Châu", tip.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_v1_tip_waiting_for_anonymity_is_answered_in_teencode()
    {
        var flow = FromV1("report-asking-anonymous").Send("uh");

        flow.AssertReply(r => Assert.Equal([Payloads.Send, Payloads.Edit, Payloads.Cancel], r.ButtonsOrEmpty.Select(b => b.Payload))).AssertNoMoreReplies();
    }

    [Fact]
    public void A_v1_add_information_question_continues_with_the_text()
    {
        var tip = Guid.NewGuid();
        // v1's shape (AddInfoDialog before prompts): the code taken, the text awaited in the dialog's own frame.
        var v1 = $$$"""{"schemaVersion":1,"culture":"vi","greeted":true,"stack":[{"id":"addinfo","awaiting":"text","attempts":0,"slots":{"tip":"{{{tip:N}}}","code":"{{{Code}}}"}}]}""";

        var flow = new TestFlow(TestDirectory.Create()).WithStoredState(v1).Send("Bọn nó đi xe SH trắng");

        var command = flow.SingleCommand<AnswerOfficer>();
        Assert.Equal((tip, "Bọn nó đi xe SH trắng", true), (command.TipId, command.Answer, command.Addition));
        Assert.Empty(flow.State!.Stack);
    }

    [Fact]
    public void A_v1_answer_to_an_officer_is_relayed()
    {
        var tip = Guid.NewGuid();
        var v1 = $$$"""{"schemaVersion":1,"culture":"vi","greeted":true,"stack":[{"id":"answer","awaiting":"answer","attempts":0,"slots":{"tip":"{{{tip:N}}}"}}]}""";

        var flow = new TestFlow(TestDirectory.Create()).WithStoredState(v1).Send("😀");
        flow.AssertReplyIs("AskReporterAnswer").AssertNoMoreReplies().AssertNoCommand();
        flow.Send("Xe màu đen, biển 43A");

        Assert.Equal((tip, "Xe màu đen, biển 43A"), (flow.SingleCommand<AnswerOfficer>().TipId, flow.SingleCommand<AnswerOfficer>().Answer));
    }

    [Theory]
    [InlineData("""{"schemaVersion":99,"culture":"vi","greeted":true,"stack":[{"id":"report"}]}""")]
    [InlineData("""{"schemaVersion":0,"stack":[]}""")]
    [InlineData("""{"culture":"vi"}""")]
    [InlineData("""{"schemaVersion":"one"}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"schemaVersion":1,"stack":"oops"}""")]
    public void An_unknown_or_unreadable_stored_state_is_discarded(string json)
    {
        var (state, discarded) = StateMigrations.Load(json, TestFlow.StateJsonOptions);

        Assert.Null(state);
        Assert.True(discarded);
    }
}
