using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Conversations;

/// <summary>The tipster answers an officer's question (after pressing "Trả lời" on it).</summary>
public sealed class AnswerOfficerDialog : ComponentDialog
{
    public const string DialogId = "answer";
    private const string Tip = "tip";

    private readonly TextPrompt _answer;

    public AnswerOfficerDialog() =>
        _answer = Add(new TextPrompt("answer", cc => cc.Turn.T("AskReporterAnswer")) { MaxAttempts = int.MaxValue });

    public override string Id => DialogId;

    public override Task BeginAsync(DialogContext dc, DialogFrame frame)
    {
        Payloads.TryGetId(dc.Message.ButtonPayload, Payloads.AnswerPrefix, out var tip);
        frame.Set(Tip, tip.ToString("N"));
        return BeginChildAsync(dc, frame, _answer);
    }

    protected override Task OnChildEndedAsync(DialogContext dc, DialogFrame frame, ChildResult result)
    {
        End(dc, frame);
        var text = (string)result.Value!;
        dc.Do(new AnswerOfficer(Guid.NewGuid(), Guid.ParseExact(frame.Get(Tip)!, "N"), dc.From,
            text.Length > 2000 ? text[..2000] : text, dc.Culture));
        return Task.CompletedTask;
    }
}
