using TipBot.Core.Messaging;
using TipBot.Core.Text;
using TipBot.Core.Tips;
using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Conversations;

/// <summary>
/// Add information to a tip already sent ("/bosung TB-4K7P2M" or the menu): only from the chat
/// that sent it; the text reaches the officer handling it, relayed like an answer.
/// </summary>
public sealed class AddInfoDialog : Dialog
{
    public const string DialogId = "addinfo";
    private const string Tip = "tip", Code = "code";

    public override string Id => DialogId;

    public override async Task BeginAsync(DialogContext dc, DialogFrame frame)
    {
        frame.Awaiting = "code";
        var argument = Answers.Command(dc.Message) is not null ? Answers.CommandArgument(dc.Message) : "";
        if (argument.Length == 0 || !await TryTakeCodeAsync(dc, frame, argument)) dc.Say(dc.T("AskAddInfoCode"));
    }

    public override async Task ContinueAsync(DialogContext dc, DialogFrame frame)
    {
        if (frame.Awaiting == "code")
        {
            if (await TryTakeCodeAsync(dc, frame, dc.Message.Text)) return;
            if (++frame.Attempts >= 2) dc.Pop();
            else dc.Say(dc.T("AskAddInfoCode"));
            return;
        }
        var text = VietnameseText.Normalize(dc.Message.Text).Trim();
        var files = dc.Message.Attachments.Count(a => a.Kind != AttachmentKind.Sticker);
        if (VietnameseText.Fold(text).Length == 0 && files == 0)
        {
            dc.Say(dc.T("AskAddInfoText", frame.Get(Code)));
            return;
        }
        if (files > 0) text = (text + $" [+{files} 📎]").Trim();
        dc.Pop();
        dc.Do(new AnswerOfficer(Guid.NewGuid(), Guid.ParseExact(frame.Get(Tip)!, "N"), dc.From,
            text.Length > 2000 ? text[..2000] : text, dc.Culture, Addition: true));
    }

    private static async Task<bool> TryTakeCodeAsync(DialogContext dc, DialogFrame frame, string? text)
    {
        if (!TipCode.TryParse(text, dc.Services.TipCodePrefix, out var code)) return false;
        var tip = await dc.Services.Tips.FindByCodeAsync(code, CancellationToken.None);
        if (tip is null || tip.Reporter != dc.From)
        {
            dc.Pop();
            dc.Say(dc.T("StatusNotFound", code));
            return true;
        }
        frame.Set(Tip, tip.Id.ToString("N"));
        frame.Set(Code, code);
        frame.Awaiting = "text";
        dc.Say(dc.T("AskAddInfoText", code));
        return true;
    }
}
