using TipBot.Core.Directory;
using TipBot.Core.Messaging;
using TipBot.Core.Text;
using TipBot.Core.Tips;
using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Conversations;

/// <summary>
/// The officer's side: the buttons on tip alerts and the short questions some of them lead to
/// (the question for the tipster, the right unit, the original of a duplicate). What an action
/// leads to depends on the records (won, lost to a colleague, not yours), so each command's
/// handler answers the officer; the dialog only collects what the command needs.
/// </summary>
public sealed class OfficerConversation
{
    public const string DialogId = "officer";
    private const string Assignment = "assignment", Code = "code", Candidates = "candidates";
    private const string AwaitQuestion = "question", AwaitUnit = "unit", AwaitOriginal = "original";
    public static readonly string[] Outcomes = ["verified", "unfounded", "transferred"];

    public void Handle(DialogContext dc, Officer officer)
    {
        var m = dc.Message;
        var payload = m.ButtonPayload;
        switch (Answers.Command(m))
        {
            case "/onduty" or "/offduty":
                var onDuty = Answers.Command(m) == "/onduty";
                dc.Do(new SetOnDuty(Guid.NewGuid(), dc.From, onDuty, dc.Culture));
                dc.Say(dc.T(onDuty ? "OnDutyOn" : "OnDutyOff"));
                return;
            case "/start" or "/help":
                dc.ClearStack();
                dc.Say(dc.T("OfficerHelp"));
                return;
        }
        if (Answers.IsCancel(m))
        {
            dc.Say(dc.T(dc.State.Stack.Count > 0 ? "Cancelled" : "NothingToCancel"));
            dc.ClearStack();
            return;
        }

        if (Payloads.TryGetId(payload, Payloads.AcceptPrefix, out var id))
        {
            dc.ClearStack();
            dc.Do(new AcceptAssignment(id, dc.From, dc.Culture));
        }
        else if (Payloads.TryGetId(payload, Payloads.AskPrefix, out id))
            Await(dc, AwaitQuestion, id, "AskOfficerQuestion");
        else if (Payloads.TryGetId(payload, Payloads.AreaPrefix, out id))
            Await(dc, AwaitUnit, id, "AskOtherUnit");
        else if (Payloads.TryGetId(payload, Payloads.DuplicatePrefix, out id))
            Await(dc, AwaitOriginal, id, "AskOriginalCode");
        else if (Payloads.TryGetId(payload, Payloads.ResolvePrefix, out id))
            dc.Say(dc.T("AskOutcome"), Outcomes.Select(o => new Button(dc.T("Outcome_" + o), $"{Payloads.OutcomePrefix}{o}:{id:N}")).ToList());
        else if (TryOutcome(payload, out var outcome, out id))
        {
            dc.ClearStack();
            dc.Do(new ResolveTip(id, dc.From, outcome, dc.Culture));
        }
        else if (dc.Top is { Id: DialogId } frame)
            Continue(dc, frame);
        else
            dc.Say(dc.T("OfficerHelp"));
    }

    private static void Await(DialogContext dc, string what, Guid assignment, string questionKey)
    {
        dc.ClearStack();
        var frame = dc.Push(DialogId);
        frame.Awaiting = what;
        frame.Set(Assignment, assignment.ToString("N"));
        dc.Say(dc.T(questionKey));
    }

    private static void Continue(DialogContext dc, DialogFrame frame)
    {
        var m = dc.Message;
        var assignment = Guid.ParseExact(frame.Get(Assignment)!, "N");
        var text = VietnameseText.Normalize(m.Text).Trim();
        switch (frame.Awaiting)
        {
            case AwaitQuestion when VietnameseText.Fold(text).Length > 0:
                dc.ClearStack();
                dc.Do(new AskReporter(Guid.NewGuid(), assignment, dc.From, text.Length > 1000 ? text[..1000] : text, dc.Culture));
                return;
            case AwaitUnit:
                var unit = PickUnit(dc, frame, text);
                if (unit is null) return;
                dc.ClearStack();
                dc.Do(new ReassignTip(assignment, dc.From, unit, dc.Culture));
                return;
            case AwaitOriginal when TipCode.TryParse(text, dc.Services.TipCodePrefix, out var original):
                dc.ClearStack();
                dc.Do(new MarkDuplicate(assignment, dc.From, original, dc.Culture));
                return;
            case AwaitOriginal:
                dc.Say(dc.T("AskOriginalCode"));
                return;
            default:
                dc.Say(dc.T("AskOfficerQuestion"));
                return;
        }
    }

    private static string? PickUnit(DialogContext dc, DialogFrame frame, string text)
    {
        var directory = dc.Services.Directory;
        if (dc.Message.ButtonPayload?.StartsWith(Payloads.UnitPrefix, StringComparison.Ordinal) == true)
        {
            var code = dc.Message.ButtonPayload[Payloads.UnitPrefix.Length..];
            if (directory.FindUnit(code) is not null) return code;
        }
        var match = directory.Places.Resolve(text);
        if (match.Candidates.Count == 0) match = directory.Places.FindInText(text);
        if (match.Unit is { } unit) return unit.Code;
        if (match.IsAmbiguous)
            dc.Say(dc.T("AskUnitWhich"), match.Candidates.Take(10).Select(u => new Button(u.Name, Payloads.UnitPrefix + u.Code)).ToList());
        else
            dc.Say(dc.T("UnitNotFound", text));
        return null;
    }

    private static bool TryOutcome(string? payload, out string outcome, out Guid assignment)
    {
        outcome = "";
        assignment = default;
        if (payload is null || !payload.StartsWith(Payloads.OutcomePrefix, StringComparison.Ordinal)) return false;
        var parts = payload[Payloads.OutcomePrefix.Length..].Split(':');
        if (parts.Length != 2 || !Outcomes.Contains(parts[0]) || !Guid.TryParseExact(parts[1], "N", out assignment)) return false;
        outcome = parts[0];
        return true;
    }
}
