using System.Globalization;
using TipBot.Core.Classification;
using TipBot.Core.Messaging;
using TipBot.Core.Places;
using TipBot.Core.Text;
using TipBot.Core.Tips;
using TipBot.Dialogs.Engine;

namespace TipBot.Dialogs.Conversations;

/// <summary>
/// Report a tip, free text first: whatever the first message says fills the slots, and the bot
/// asks only for what is missing, one question at a time, then confirms a summary.
/// </summary>
public sealed class ReportTipDialog : Dialog
{
    public const string DialogId = "report";
    public const int MaxDescriptionLength = 2000;
    private const double CategoryConfidenceToSkipQuestion = 0.45;
    private const int PlaceAttempts = 2;

    // Slot names, as stored in the frame.
    private const string Description = "description", Category = "category", Confidence = "confidence",
        Urgent = "urgent", Unit = "unit", PlaceText = "place_text", PlaceCandidates = "place_candidates",
        Time = "time", Anonymous = "anonymous", Phone = "phone", Evidence = "evidence";

    // Questions, in the order they are asked.
    private const string AskDescription = "description", AskCategory = "category", AskPlace = "place",
        AskTime = "time", AskAnonymous = "anonymous", AskPhone = "phone", AskConfirm = "confirm", AskEdit = "edit";

    public override string Id => DialogId;

    public override Task BeginAsync(DialogContext dc, DialogFrame frame)
    {
        var m = dc.Message;
        if (m.ButtonPayload is null) TakeDescription(dc, frame, m.Text);
        TakeAttachments(dc, frame, announce: false);
        AskNext(dc, frame);
        return Task.CompletedTask;
    }

    public override Task ContinueAsync(DialogContext dc, DialogFrame frame)
    {
        var m = dc.Message;
        if (TakeAttachments(dc, frame, announce: true) && string.IsNullOrWhiteSpace(m.Text) && m.Location is null)
            return Task.CompletedTask; // evidence arrives between answers; the open question still stands

        var answered = frame.Awaiting switch
        {
            AskDescription => TakeDescription(dc, frame, m.Text),
            AskCategory => TakeCategory(dc, frame),
            AskPlace => TakePlace(dc, frame),
            AskTime => TakeTime(dc, frame),
            AskAnonymous => TakeAnonymous(dc, frame),
            AskPhone => TakePhone(dc, frame),
            AskConfirm => TakeConfirmation(dc, frame),
            AskEdit => TakeEditChoice(dc, frame),
            _ => true,
        };
        if (frame.Awaiting is null) return Task.CompletedTask; // submitted or cancelled
        if (answered) frame.Attempts = 0;
        AskNext(dc, frame, retry: !answered);
        return Task.CompletedTask;
    }

    private static void AskNext(DialogContext dc, DialogFrame frame, bool retry = false)
    {
        if (retry) frame.Attempts++;
        var next = NextQuestion(frame);
        frame.Awaiting = next;
        switch (next)
        {
            case AskDescription:
                dc.Say(dc.T(retry ? "DescriptionTooShort" : "AskDescription"));
                break;
            case AskCategory:
                dc.Say(dc.T("AskCategory"), CategoryChoices(dc, frame));
                break;
            case AskPlace when frame.Get(PlaceCandidates) is { } codes:
                dc.Say(dc.T("AskPlaceWhich", frame.Get(PlaceText)), PlaceChoices(dc, codes));
                break;
            case AskPlace:
                dc.Say(retry && frame.Get(PlaceText) is { } typed ? dc.T("PlaceNotFound", typed) : dc.T("AskPlace"),
                    [dc.Choice("PlaceUnknown", Payloads.PlaceUnknown)]);
                break;
            case AskTime:
                dc.Say(dc.T("AskTime"), TimeChoices(dc));
                break;
            case AskAnonymous:
                dc.Say(dc.T("AskAnonymous"), [dc.Choice("AnonYes", Payloads.AnonymousYes), dc.Choice("AnonNo", Payloads.AnonymousNo)]);
                break;
            case AskPhone:
                dc.Say(dc.T(retry ? "PhoneInvalid" : "AskPhone"), [dc.Choice("Skip", Payloads.Skip)]);
                break;
            case AskEdit:
                dc.Say(dc.T("AskEditField"), EditChoices(dc));
                break;
            default:
                if (retry) dc.Say(dc.T("NotUnderstood"));
                dc.Say(Summary(dc, frame),
                [
                    dc.Choice("ConfirmSend", Payloads.Send),
                    dc.Choice("ConfirmEdit", Payloads.Edit),
                    dc.Choice("ConfirmCancel", Payloads.Cancel),
                ]);
                break;
        }
    }

    private static string NextQuestion(DialogFrame frame)
    {
        if (frame.Awaiting == AskEdit) return AskEdit;
        if (frame.Get(Description) is null) return AskDescription;
        if (frame.Get(Category) is null) return AskCategory;
        if (frame.Get(Unit) is null) return AskPlace;
        if (frame.Get(Time) is null) return AskTime;
        if (frame.Get(Anonymous) is null) return AskAnonymous;
        if (frame.Get(Anonymous) == "no" && frame.Get(Phone) is null) return AskPhone;
        return AskConfirm;
    }

    private static bool TakeDescription(DialogContext dc, DialogFrame frame, string? text)
    {
        var description = VietnameseText.Normalize(text).Trim();
        if (VietnameseText.Fold(description).Length < 3) return false;
        if (description.Length > MaxDescriptionLength)
        {
            description = Truncate(description, MaxDescriptionLength);
            dc.Say(dc.T("TextTruncated", MaxDescriptionLength));
        }
        frame.Set(Description, description);
        var services = dc.Services;
        if (services.Urgency.IsUrgent(description)) frame.Set(Urgent, "1");

        var classification = services.Classifier.Classify(description);
        frame.Set(Confidence, classification.Confidence.ToString("0.###", CultureInfo.InvariantCulture));
        frame.Set("best", classification.Category);
        frame.Set("runner_up", classification.RunnerUp);
        if (classification.Confidence >= CategoryConfidenceToSkipQuestion) frame.Set(Category, classification.Category);

        if (frame.Get(Unit) is null) ApplyPlace(frame, services.Directory.Places.FindInText(description), text: null);
        return true;
    }

    private static bool TakeAttachments(DialogContext dc, DialogFrame frame, bool announce)
    {
        var evidence = dc.Message.Attachments.Count(a => a.Kind != AttachmentKind.Sticker);
        if (evidence == 0) return false;
        var total = int.Parse(frame.Get(Evidence) ?? "0", CultureInfo.InvariantCulture) + evidence;
        frame.Set(Evidence, total.ToString(CultureInfo.InvariantCulture));
        if (announce) dc.Say(dc.T("EvidenceReceived", total));
        return true;
    }

    private static bool TakeCategory(DialogContext dc, DialogFrame frame)
    {
        var choice = Answers.MatchChoice(dc.Message, CategoryChoices(dc, frame));
        if (choice is null && Answers.IsSkip(dc.Message)) choice = Payloads.CategoryPrefix + (frame.Get("best") ?? Core.Classification.Category.Other);
        if (choice is null)
        {
            if (frame.Attempts + 1 < 2) return false;
            choice = Payloads.CategoryPrefix + Core.Classification.Category.Other;
        }
        frame.Set(Category, choice[Payloads.CategoryPrefix.Length..]);
        return true;
    }

    private static bool TakePlace(DialogContext dc, DialogFrame frame)
    {
        var m = dc.Message;
        if (m.ButtonPayload == Payloads.PlaceUnknown || Answers.IsSkip(m))
        {
            frame.Set(Unit, "");
            frame.Set(PlaceCandidates, null);
            return true;
        }
        if (m.ButtonPayload?.StartsWith(Payloads.PlacePrefix, StringComparison.Ordinal) == true)
        {
            var code = m.ButtonPayload[Payloads.PlacePrefix.Length..];
            if (dc.Services.Directory.FindUnit(code) is null) return false;
            frame.Set(Unit, code);
            frame.Set(PlaceCandidates, null);
            return true;
        }
        if (m.Location is { } point)
        {
            // Point-in-polygon on the unit boundaries; a point outside Đà Nẵng goes to the duty desk.
            frame.Set(PlaceText, string.Create(CultureInfo.InvariantCulture, $"{point.Latitude:0.#####}, {point.Longitude:0.#####}"));
            frame.Set(Unit, dc.Services.Directory.Places.FindUnitAt(point.Latitude, point.Longitude).Unit?.Code ?? "");
            frame.Set(PlaceCandidates, null);
            return true;
        }
        if (frame.Get(PlaceCandidates) is { } codes && Answers.MatchChoice(m, PlaceChoices(dc, codes)) is { } picked)
        {
            frame.Set(Unit, picked[Payloads.PlacePrefix.Length..]);
            frame.Set(PlaceCandidates, null);
            return true;
        }
        var text = VietnameseText.Normalize(m.Text).Trim();
        if (text.Length == 0) return false;
        var places = dc.Services.Directory.Places;
        var match = places.Resolve(text);
        if (match.Candidates.Count == 0) match = places.FindInText(text);
        ApplyPlace(frame, match, text);
        if (frame.Get(Unit) is not null || frame.Get(PlaceCandidates) is not null) return true;
        if (frame.Attempts + 1 >= PlaceAttempts)
        {
            frame.Set(Unit, ""); // kept as the resident wrote it, for the duty desk to triage
            return true;
        }
        return false;
    }

    private static void ApplyPlace(DialogFrame frame, PlaceMatch match, string? text)
    {
        if (text is not null) frame.Set(PlaceText, Truncate(text, 200));
        if (match.Unit is { } unit)
        {
            frame.Set(Unit, unit.Code);
            frame.Set(PlaceCandidates, null);
        }
        else if (match.IsAmbiguous)
        {
            frame.Set(PlaceCandidates, string.Join(',', match.Candidates.Take(8).Select(u => u.Code)));
            frame.Set(PlaceText, text ?? string.Join(" / ", match.Candidates.Take(3).Select(u => u.Name)));
        }
    }

    private static bool TakeTime(DialogContext dc, DialogFrame frame)
    {
        var m = dc.Message;
        if (Answers.IsSkip(m)) { frame.Set(Time, "unknown"); return true; }
        if (Answers.MatchChoice(m, TimeChoices(dc)) is { } choice)
        {
            frame.Set(Time, choice[Payloads.TimePrefix.Length..]);
            return true;
        }
        var text = VietnameseText.Normalize(m.Text).Trim();
        if (VietnameseText.Fold(text).Length == 0) return false; // emoji or punctuation is no time
        frame.Set(Time, "text:" + Truncate(text, 200));
        return true;
    }

    private static bool TakeAnonymous(DialogContext dc, DialogFrame frame)
    {
        var m = dc.Message;
        var anonymous =
            m.ButtonPayload == Payloads.AnonymousYes || Answers.IsYes(m.Text) || Answers.IsSkip(m) ? "yes" :
            m.ButtonPayload == Payloads.AnonymousNo || Answers.IsNo(m.Text) ? "no" :
            Answers.MatchChoice(m, [dc.Choice("AnonYes", Payloads.AnonymousYes), dc.Choice("AnonNo", Payloads.AnonymousNo)]) switch
            {
                Payloads.AnonymousYes => "yes",
                Payloads.AnonymousNo => "no",
                _ => null,
            };
        if (anonymous is null) return false;
        frame.Set(Anonymous, anonymous);
        if (anonymous == "yes") frame.Set(Phone, null);
        return true;
    }

    private static bool TakePhone(DialogContext dc, DialogFrame frame)
    {
        if (Answers.IsSkip(dc.Message))
        {
            frame.Set(Anonymous, "yes");
            return true;
        }
        var digits = new string((dc.Message.Text ?? "").Where(char.IsDigit).ToArray());
        if (digits.StartsWith("84", StringComparison.Ordinal) && digits.Length == 11) digits = "0" + digits[2..];
        if (digits.Length is < 9 or > 11) return false;
        frame.Set(Phone, digits);
        return true;
    }

    private static bool TakeConfirmation(DialogContext dc, DialogFrame frame)
    {
        var m = dc.Message;
        if (m.ButtonPayload == Payloads.Send || Answers.IsYes(m.Text) || VietnameseText.Fold(m.Text) is "gui" or "send")
        {
            Submit(dc, frame);
            return true;
        }
        if (m.ButtonPayload == Payloads.Edit || VietnameseText.Fold(m.Text) is "sua" or "edit")
        {
            frame.Awaiting = AskEdit;
            return true;
        }
        return false;
    }

    private static bool TakeEditChoice(DialogContext dc, DialogFrame frame)
    {
        var choice = Answers.MatchChoice(dc.Message, EditChoices(dc));
        if (choice is null) return false;
        string[] cleared = choice[Payloads.EditPrefix.Length..] switch
        {
            "description" => [Description, Category],
            "place" => [Unit, PlaceText, PlaceCandidates],
            "time" => [Time],
            _ => [Anonymous, Phone],
        };
        foreach (var slot in cleared) frame.Set(slot, null);
        frame.Awaiting = AskConfirm; // not the edit menu any more: the next unfilled slot is asked
        return true;
    }

    private static void Submit(DialogContext dc, DialogFrame frame)
    {
        var services = dc.Services;
        var code = TipCode.New(services.TipCodePrefix);
        var unit = frame.Get(Unit);
        dc.Do(new SubmitTip(
            SubmissionId: Guid.CreateVersion7(), // time-ordered, like the tip's own id (RecordIds)
            Code: code,
            Description: frame.Get(Description)!,
            Category: frame.Get(Category) ?? Core.Classification.Category.Other,
            CategoryConfidence: double.Parse(frame.Get(Confidence) ?? "0", CultureInfo.InvariantCulture),
            Urgent: frame.Get(Urgent) == "1",
            UnitCode: string.IsNullOrEmpty(unit) ? null : unit,
            PlaceText: frame.Get(PlaceText),
            TimeText: TimeText(dc, frame),
            Anonymous: frame.Get(Anonymous) != "no",
            ContactPhone: frame.Get(Anonymous) == "no" ? frame.Get(Phone) : null,
            EvidenceCount: int.Parse(frame.Get(Evidence) ?? "0", CultureInfo.InvariantCulture),
            Reporter: dc.From,
            Culture: dc.Culture));
        dc.Say(services.Pins is { } pins ? dc.T("SubmittedWithPin", code, pins.PinFor(code)) : dc.T("Submitted", code));
        frame.Awaiting = null;
        dc.Pop();
    }

    private static string Summary(DialogContext dc, DialogFrame frame)
    {
        var unit = dc.Services.Directory.FindUnit(frame.Get(Unit));
        var place = unit?.Name ?? frame.Get(PlaceText) ?? dc.T("NotKnown");
        var evidence = frame.Get(Evidence) ?? "0";
        var identity = frame.Get(Anonymous) == "no" ? dc.T("Identity_phone") : dc.T("Identity_anonymous");
        return dc.T("Summary",
            Truncate(frame.Get(Description) ?? "", 500),
            Categories.Get(frame.Get(Category)).Name(dc.Culture),
            place,
            TimeText(dc, frame) ?? dc.T("NotKnown"),
            evidence == "0" ? dc.T("NoneGiven") : evidence,
            identity);
    }

    private static string? TimeText(DialogContext dc, DialogFrame frame) => frame.Get(Time) switch
    {
        null or "unknown" => null,
        "today" => dc.T("TimeToday"),
        "yesterday" => dc.T("TimeYesterday"),
        "earlier" => dc.T("TimeEarlier"),
        var t when t.StartsWith("text:", StringComparison.Ordinal) => t[5..],
        var t => t,
    };

    private static List<Button> CategoryChoices(DialogContext dc, DialogFrame frame)
    {
        var codes = new[] { frame.Get("best"), frame.Get("runner_up") }
            .Where(c => c is not null && c != Core.Classification.Category.Other).Distinct()
            .Concat(["theft", "fraud", "drugs", "violence", "public_disorder"]).Distinct().Take(5)
            .Append(Core.Classification.Category.Other);
        return codes.Select(c => new Button(Categories.Get(c).Name(dc.Culture), Payloads.CategoryPrefix + c)).ToList();
    }

    private static List<Button> PlaceChoices(DialogContext dc, string codes) =>
        codes.Split(',').Select(dc.Services.Directory.FindUnit).OfType<Core.Directory.Unit>()
            .Select(u => new Button(u.Name, Payloads.PlacePrefix + u.Code))
            .Append(dc.Choice("PlaceUnknown", Payloads.PlaceUnknown))
            .ToList();

    private static List<Button> TimeChoices(DialogContext dc) =>
    [
        dc.Choice("TimeToday", Payloads.TimePrefix + "today"),
        dc.Choice("TimeYesterday", Payloads.TimePrefix + "yesterday"),
        dc.Choice("TimeEarlier", Payloads.TimePrefix + "earlier"),
        dc.Choice("TimeUnknown", Payloads.TimePrefix + "unknown"),
    ];

    private static List<Button> EditChoices(DialogContext dc) =>
    [
        dc.Choice("EditDescription", Payloads.EditPrefix + "description"),
        dc.Choice("EditPlace", Payloads.EditPrefix + "place"),
        dc.Choice("EditTime", Payloads.EditPrefix + "time"),
        dc.Choice("EditAnonymous", Payloads.EditPrefix + "anonymous"),
    ];

    // Never cut inside a surrogate pair.
    private static string Truncate(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return text[..cut];
    }
}
