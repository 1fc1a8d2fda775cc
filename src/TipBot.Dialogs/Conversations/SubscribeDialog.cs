using TipBot.Core.Messaging;
using TipBot.Core.Places;
using TipBot.Core.Text;
using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Conversations;

/// <summary>
/// Safety notices: "/subscribe Hải Châu", "/dangky xa dien nam bac", or the menu button and then a
/// place. An ambiguous name is asked as buttons. /stop (handled by the engine) ends every subscription.
/// </summary>
public sealed class SubscribeDialog : Dialog
{
    public const string DialogId = "subscribe";
    private const int MaxAttempts = 2;

    public override string Id => DialogId;

    public override Task BeginAsync(DialogContext dc, DialogFrame frame)
    {
        frame.Awaiting = "place";
        var argument = Answers.Command(dc.Message) is not null ? Answers.CommandArgument(dc.Message) : "";
        if (argument.Length > 0) Take(dc, frame, argument);
        else dc.Say(dc.T("AskSubscribePlace"));
        return Task.CompletedTask;
    }

    public override Task ContinueAsync(DialogContext dc, DialogFrame frame)
    {
        var payload = dc.Message.ButtonPayload;
        if (payload?.StartsWith(Payloads.SubscribePrefix, StringComparison.Ordinal) == true
            && dc.Services.Directory.FindUnit(payload[Payloads.SubscribePrefix.Length..]) is { } picked)
        {
            Subscribe(dc, picked);
            return Task.CompletedTask;
        }
        Take(dc, frame, dc.Message.Text);
        return Task.CompletedTask;
    }

    private static void Take(DialogContext dc, DialogFrame frame, string? text)
    {
        var places = dc.Services.Directory.Places;
        var match = places.Resolve(text);
        if (match.Candidates.Count == 0) match = places.FindInText(text);
        if (match.Unit is { } unit)
        {
            Subscribe(dc, unit);
            return;
        }
        if (match.IsAmbiguous)
        {
            dc.Say(dc.T("AskPlaceWhich", VietnameseText.Normalize(text).Trim()),
                match.Candidates.Take(10).Select(u => new Button(u.Name, Payloads.SubscribePrefix + u.Code)).ToList());
            return;
        }
        frame.Attempts++;
        dc.Say(dc.T("SubscribePlaceNotFound", VietnameseText.Normalize(text).Trim()));
        if (frame.Attempts >= MaxAttempts) dc.Pop();
    }

    private static void Subscribe(DialogContext dc, Core.Directory.Unit unit)
    {
        dc.Pop();
        dc.Do(new Subscribe(dc.From, unit.Code, dc.Culture));
        dc.Say(dc.T("Subscribed", unit.Name));
    }
}
