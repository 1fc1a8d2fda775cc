using System.Globalization;
using TipBot.Core.Tips;
using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Conversations;

/// <summary>Check a tip by its code. Only the chat that submitted it may see it.</summary>
public sealed class CheckStatusDialog : Dialog
{
    public const string DialogId = "status";
    private static readonly TimeZoneInfo Vietnam = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");

    public override string Id => DialogId;

    public override async Task BeginAsync(DialogContext dc, DialogFrame frame)
    {
        var argument = Answers.Command(dc.Message) == "/status" ? Answers.CommandArgument(dc.Message) : "";
        if (argument.Length > 0 && await TryAnswerAsync(dc, argument)) return;
        frame.Awaiting = "code";
        dc.Say(dc.T("AskStatusCode"));
    }

    public override async Task ContinueAsync(DialogContext dc, DialogFrame frame)
    {
        if (await TryAnswerAsync(dc, dc.Message.Text)) return;
        frame.Attempts++;
        if (frame.Attempts >= 2) dc.Pop();
        else dc.Say(dc.T("AskStatusCode"));
    }

    private static async Task<bool> TryAnswerAsync(DialogContext dc, string? text)
    {
        if (!TipCode.TryParse(text, dc.Services.TipCodePrefix, out var code))
        {
            if (dc.State.Stack.Count > 0 && dc.Top!.Attempts >= 1) dc.Say(dc.T("StatusNotFound", text?.Trim()));
            return false;
        }
        dc.Pop();
        var tip = await dc.Services.Tips.FindByCodeAsync(code, CancellationToken.None);
        if (tip is null || tip.Reporter != dc.From)
        {
            dc.Say(dc.T("StatusNotFound", code));
            return true;
        }
        var sentAt = TimeZoneInfo.ConvertTime(tip.ReceivedAt, Vietnam).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture);
        var status = dc.T("Status_" + tip.Status, tip.UnitName);
        dc.Say(dc.T("StatusView", tip.Code, sentAt, status));
        return true;
    }
}
