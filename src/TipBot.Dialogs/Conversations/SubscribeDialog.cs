using TipBot.Core.Text;
using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Conversations;

/// <summary>
/// Safety notices: "/subscribe Hải Châu", "/dangky xa dien nam bac", or the menu button and then a
/// place or a shared location (the same point-in-polygon resolver as a tip's place). An ambiguous
/// name is asked as buttons. /stop (handled by the engine) ends every subscription.
/// </summary>
public sealed class SubscribeDialog : ComponentDialog
{
    public const string DialogId = "subscribe";

    private readonly PlacePrompt _place;

    public SubscribeDialog() =>
        _place = Add(new PlacePrompt("place", cc => cc.Turn.T("AskSubscribePlace"))
        {
            ButtonPrefix = Payloads.SubscribePrefix,
            MaxAttempts = 2,
            Retry = cc => cc.Turn.T("SubscribePlaceNotFound", Typed(cc.Message.Text)),
            Validator = (cc, place) =>
            {
                if (place.Unit is not null) return true;
                cc.Turn.Say(cc.Turn.T("SubscribeLocationOutside")); // a point outside Đà Nẵng
                return false;
            },
        });

    public override string Id => DialogId;

    public override Task BeginAsync(DialogContext dc, DialogFrame frame)
    {
        var argument = Answers.Command(dc.Message) is not null ? Answers.CommandArgument(dc.Message) : "";
        return argument.Length > 0 ? BeginChildWithAnswerAsync(dc, frame, _place, argument) : BeginChildAsync(dc, frame, _place);
    }

    protected override Task OnChildEndedAsync(DialogContext dc, DialogFrame frame, ChildResult result)
    {
        End(dc, frame);
        if (result is { Outcome: ChildOutcome.Completed, Value: PlaceAnswer { Unit: { } unit } })
        {
            dc.Do(new Subscribe(dc.From, unit.Code, dc.Culture));
            dc.Say(dc.T("Subscribed", unit.Name));
        }
        else if (dc.Message.Location is null) // a location outside was already answered
            dc.Say(dc.T("SubscribePlaceNotFound", Typed(Answers.Command(dc.Message) is not null ? Answers.CommandArgument(dc.Message) : dc.Message.Text)));
        return Task.CompletedTask;
    }

    private static string Typed(string? text) => VietnameseText.Normalize(text).Trim();
}
