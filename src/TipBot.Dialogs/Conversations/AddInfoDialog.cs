using TipBot.Core.Messaging;
using TipBot.Core.Tips;
using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Conversations;

/// <summary>
/// Add information to a tip already sent ("/bosung TB-4K7P2M" or the menu): only from the chat
/// that sent it; the text reaches the officer handling it, relayed like an answer.
/// </summary>
public sealed class AddInfoDialog : ComponentDialog
{
    public const string DialogId = "addinfo";
    private const string Tip = "tip", Code = "code";

    private readonly TextPrompt _code;
    private readonly TextPrompt _text;

    public AddInfoDialog()
    {
        _code = Add(new TextPrompt("code", cc => cc.Turn.T("AskAddInfoCode"))
        {
            Validator = (cc, text) => TipCode.TryParse(text, cc.Turn.Services.TipCodePrefix, out _),
            MaxAttempts = 2,
        });
        _text = Add(new TextPrompt("text", cc => cc.Turn.T("AskAddInfoText", cc.Owner.Get(Code)))
        {
            AllowAttachments = true,
            MaxAttempts = int.MaxValue,
        });
    }

    public override string Id => DialogId;

    public override async Task BeginAsync(DialogContext dc, DialogFrame frame)
    {
        var argument = Answers.Command(dc.Message) is not null ? Answers.CommandArgument(dc.Message) : "";
        if (TipCode.TryParse(argument, dc.Services.TipCodePrefix, out var code)) await TakeCodeAsync(dc, frame, code);
        else await BeginChildAsync(dc, frame, _code);
    }

    protected override async Task OnChildEndedAsync(DialogContext dc, DialogFrame frame, ChildResult result)
    {
        switch (result.ChildId, result.Outcome)
        {
            case ("code", ChildOutcome.Completed):
                TipCode.TryParse((string)result.Value!, dc.Services.TipCodePrefix, out var code);
                await TakeCodeAsync(dc, frame, code);
                return;
            case ("text", ChildOutcome.Completed):
                End(dc, frame);
                var text = (string)result.Value!;
                var files = dc.Message.Attachments.Count(a => a.Kind != AttachmentKind.Sticker);
                if (files > 0) text = (text + $" [+{files} 📎]").Trim();
                dc.Do(new AnswerOfficer(Guid.NewGuid(), Guid.ParseExact(frame.Get(Tip)!, "N"), dc.From,
                    text.Length > 2000 ? text[..2000] : text, dc.Culture, Addition: true));
                return;
            default:
                End(dc, frame); // no code after two tries: the resident has moved on
                return;
        }
    }

    private async Task TakeCodeAsync(DialogContext dc, DialogFrame frame, string code)
    {
        var tip = await dc.Services.Tips.FindByCodeAsync(code, CancellationToken.None);
        if (tip is null || tip.Reporter != dc.From)
        {
            End(dc, frame);
            dc.Say(dc.T("StatusNotFound", code));
            return;
        }
        frame.Set(Tip, tip.Id.ToString("N"));
        frame.Set(Code, code);
        await BeginChildAsync(dc, frame, _text);
    }
}
