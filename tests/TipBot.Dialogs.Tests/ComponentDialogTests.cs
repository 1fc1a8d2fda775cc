using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Tests;

public class ComponentDialogTests
{
    /// <summary>Asks a name, then a confirmation; a "no" asks the name again; keeps the name in its own slots.</summary>
    private sealed class Registration : ComponentDialog
    {
        private readonly TextPrompt _name;
        private readonly ConfirmPrompt _confirm;

        public Registration()
        {
            _name = Add(new TextPrompt("name", _ => "Tên?"));
            _confirm = Add(new ConfirmPrompt("confirm", cc => $"Tên là {cc.Owner.Get("name")}, đúng không?") { MaxAttempts = 2 });
        }

        public override string Id => "registration";

        public override Task BeginAsync(DialogContext dc, DialogFrame frame) => BeginChildAsync(dc, frame, _name);

        protected override async Task OnChildEndedAsync(DialogContext dc, DialogFrame frame, ChildResult result)
        {
            switch (result.ChildId, result.Outcome, result.Value)
            {
                case ("name", ChildOutcome.Completed, string name):
                    frame.Set("name", name);
                    await BeginChildAsync(dc, frame, _confirm);
                    break;
                case ("confirm", ChildOutcome.Completed, false):
                    await BeginChildAsync(dc, frame, _name);
                    break;
                case ("confirm", ChildOutcome.Completed, true):
                    End(dc, frame);
                    dc.Say("Đã ghi: " + frame.Get("name"));
                    break;
                default:
                    End(dc, frame);
                    dc.Say("Thôi vậy.");
                    break;
            }
        }
    }

    private static TestFlow Start() => new TestFlow(TestDirectory.Create(), only: new Registration()).Send("bắt đầu");

    [Fact]
    public void A_component_runs_its_prompts_on_its_own_inner_stack_and_decides_what_follows()
    {
        var flow = Start().AssertReply(r => Assert.Equal("Tên?", r.Text));
        var frame = Assert.Single(flow.State!.Stack);
        Assert.Equal("registration", frame.Id);
        Assert.Equal("name", Assert.Single(frame.Inner!).Id);

        flow.Send("Lan").AssertReply(r => Assert.Equal("Tên là Lan, đúng không?", r.Text));
        Assert.Equal("confirm", Assert.Single(flow.State!.Stack[0].Inner!).Id);
        Assert.Equal("Lan", flow.State.Stack[0].Get("name"));

        flow.Send("ko").AssertReply(r => Assert.Equal("Tên?", r.Text));
        flow.Send("Mai").AssertReply(r => Assert.Equal("Tên là Mai, đúng không?", r.Text));
        flow.Send("uh").AssertReply(r => Assert.Equal("Đã ghi: Mai", r.Text)).AssertNoMoreReplies();
        Assert.Empty(flow.State!.Stack);
        Assert.DoesNotContain("$type", flow.StateJson!, StringComparison.Ordinal);
    }

    [Fact]
    public void A_child_out_of_attempts_comes_back_to_the_component()
    {
        var flow = Start().Send("Lan").Send("gì cơ");

        flow.AssertReply(r => Assert.Equal("Tên là Lan, đúng không?", r.Text)); // the retry is the question again
        flow.Send("hả").AssertReply(r => Assert.Equal("Thôi vậy.", r.Text)).AssertNoMoreReplies();
        Assert.Empty(flow.State!.Stack);
    }

    [Fact]
    public void An_inner_frame_this_version_does_not_know_restarts_the_component()
    {
        var flow = new TestFlow(TestDirectory.Create(), only: new Registration()).WithStoredState(
            """{"schemaVersion":2,"culture":"vi","greeted":true,"stack":[{"id":"registration","slots":{"name":"Lan"},"inner":[{"id":"gone","slots":{}}]}]}""");

        flow.Send("gì vậy").AssertReply(r => Assert.Equal("Tên?", r.Text)).AssertNoMoreReplies();
        Assert.Equal("name", Assert.Single(flow.State!.Stack[0].Inner!).Id);
    }
}
