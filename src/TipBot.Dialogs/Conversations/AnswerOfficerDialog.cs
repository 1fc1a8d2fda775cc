using TipBot.Core.Text;
using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Conversations;

/// <summary>The tipster answers an officer's question (after pressing "Trả lời" on it).</summary>
public sealed class AnswerOfficerDialog : Dialog
{
    public const string DialogId = "answer";
    private const string Tip = "tip";

    public override string Id => DialogId;

    public override Task BeginAsync(DialogContext dc, DialogFrame frame)
    {
        Payloads.TryGetId(dc.Message.ButtonPayload, Payloads.AnswerPrefix, out var tip);
        frame.Set(Tip, tip.ToString("N"));
        frame.Awaiting = "answer";
        dc.Say(dc.T("AskReporterAnswer"));
        return Task.CompletedTask;
    }

    public override Task ContinueAsync(DialogContext dc, DialogFrame frame)
    {
        var text = VietnameseText.Normalize(dc.Message.Text).Trim();
        if (VietnameseText.Fold(text).Length == 0)
        {
            dc.Say(dc.T("AskReporterAnswer"));
            return Task.CompletedTask;
        }
        dc.Pop();
        dc.Do(new AnswerOfficer(Guid.NewGuid(), Guid.ParseExact(frame.Get(Tip)!, "N"), dc.From,
            text.Length > 2000 ? text[..2000] : text, dc.Culture));
        return Task.CompletedTask;
    }
}
