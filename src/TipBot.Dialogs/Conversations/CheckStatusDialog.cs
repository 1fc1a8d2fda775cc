using System.Globalization;
using TipBot.Core.Tips;
using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Conversations;

/// <summary>
/// Check a tip by its code. The chat that submitted it sees it at once; another chat sees it only
/// with the PIN given at submission (<c>/status CODE PIN</c>, or the PIN question). An unknown code
/// and a wrong PIN get the same answer, and wrong PINs are limited per conversation.
/// </summary>
public sealed class CheckStatusDialog : ComponentDialog
{
    public const string DialogId = "status";
    public const int MaxPinFailures = 5;
    public static readonly TimeSpan PinLockout = TimeSpan.FromMinutes(30);
    private const string CodeSlot = "code";
    private static readonly TimeZoneInfo Vietnam = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");

    private readonly TextPrompt _code;
    private readonly TextPrompt _pin;

    public CheckStatusDialog()
    {
        _code = Add(new TextPrompt("code", cc => cc.Turn.T("AskStatusCode"))
        {
            Validator = (cc, text) => TipCode.TryParse(text, cc.Turn.Services.TipCodePrefix, out _),
            MaxAttempts = 2,
        });
        _pin = Add(new TextPrompt("pin", cc => cc.Turn.T("AskStatusPin"))
        {
            Validator = (_, text) => TipPins.Parse(text) is not null,
            MaxAttempts = 2,
        });
    }

    public override string Id => DialogId;

    public override async Task BeginAsync(DialogContext dc, DialogFrame frame)
    {
        var argument = Answers.Command(dc.Message) == "/status" ? Answers.CommandArgument(dc.Message) : "";
        var (code, pin) = SplitArgument(argument, dc.Services.TipCodePrefix);
        if (code is null) await BeginChildAsync(dc, frame, _code);
        else await AnswerAsync(dc, frame, code, pin, oneShot: true);
    }

    protected override async Task OnChildEndedAsync(DialogContext dc, DialogFrame frame, ChildResult result)
    {
        switch (result.ChildId, result.Outcome)
        {
            case ("code", ChildOutcome.Completed):
                TipCode.TryParse((string)result.Value!, dc.Services.TipCodePrefix, out var code);
                await AnswerAsync(dc, frame, code, pin: null, oneShot: false);
                return;
            case ("code", _):
                End(dc, frame);
                dc.Say(dc.T("StatusNotFound", dc.Message.Text?.Trim()));
                return;
            case ("pin", ChildOutcome.Completed):
                await AnswerAsync(dc, frame, frame.Get(CodeSlot)!, TipPins.Parse((string)result.Value!), oneShot: false);
                return;
            default:
                End(dc, frame);
                dc.Say(dc.T("StatusNotFound", frame.Get(CodeSlot)));
                return;
        }
    }

    private async Task AnswerAsync(DialogContext dc, DialogFrame frame, string code, string? pin, bool oneShot)
    {
        var tip = await dc.Services.Tips.FindByCodeAsync(code, CancellationToken.None);
        if (tip is not null && tip.Reporter == dc.From)
        {
            End(dc, frame);
            ShowStatus(dc, tip);
            return;
        }
        var pins = dc.Services.Pins;
        if (pins is null || (pin is null && oneShot))
        {
            End(dc, frame);
            dc.Say(dc.T("StatusNotFound", code));
            return;
        }
        var state = dc.State;
        var now = dc.Services.Clock.GetUtcNow();
        if (state.PinLockedUntil is { } until && until > now)
        {
            End(dc, frame);
            dc.Say(dc.T("StatusPinLocked", (int)Math.Ceiling((until - now).TotalMinutes)));
            return;
        }
        if (pin is null)
        {
            // Asked whether or not the code exists: the question itself must not tell.
            frame.Set(CodeSlot, code);
            await BeginChildAsync(dc, frame, _pin);
            return;
        }
        End(dc, frame);
        // The PIN is derived and compared even for an unknown code: same work, same answer.
        if (TipPins.Matches(pins.PinFor(code), pin) && tip is not null)
        {
            ShowStatus(dc, tip);
            return;
        }
        state.PinLockedUntil = null;
        if (++state.PinFailures >= MaxPinFailures)
        {
            state.PinFailures = 0;
            state.PinLockedUntil = now + PinLockout;
        }
        dc.Say(dc.T("StatusNotFound", code));
    }

    private static void ShowStatus(DialogContext dc, TipStatusView tip)
    {
        var sentAt = TimeZoneInfo.ConvertTime(tip.ReceivedAt, Vietnam).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture);
        dc.Say(dc.T("StatusView", tip.Code, sentAt, dc.T("Status_" + tip.Status, tip.UnitName)));
    }

    /// <summary>"TB-4K7P2M 123456", "tb 4k7p2m 123 456" → code and PIN; "tb 4k7p2m" → the code alone.</summary>
    private static (string? Code, string? Pin) SplitArgument(string argument, string prefix)
    {
        for (var space = argument.LastIndexOf(' '); space > 0; space = argument.LastIndexOf(' ', space - 1))
            if (TipPins.Parse(argument[(space + 1)..]) is { } pin && TipCode.TryParse(argument[..space], prefix, out var code))
                return (code, pin);
        return argument.Length > 0 && TipCode.TryParse(argument, prefix, out var only) ? (only, null) : (null, null);
    }
}
