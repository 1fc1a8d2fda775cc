using TipBot.Core.Directory;
using TipBot.Core.Messaging;
using TipBot.Core.Text;

namespace TipBot.Dialogs.Engine;

/// <summary>What a prompt made of an answer: a value, nothing, or a follow-up question of its own.</summary>
public readonly record struct Recognition<T>(bool Succeeded, T? Value = default, bool Pending = false)
{
    public static Recognition<T> Of(T value) => new(true, value);
    public static Recognition<T> None => default;
    /// <summary>The prompt asked something narrower (which of these places?): no attempt is spent.</summary>
    public static Recognition<T> AskedAgain => new(false, default, Pending: true);
}

/// <summary>
/// A question and how its answer is understood (Bot Framework's prompts): an optional validator,
/// a retry prompt, and an attempt count kept in the prompt's own frame. When the attempts run out
/// the prompt ends <see cref="ChildOutcome.Exhausted"/> without another word: the owner decides.
/// </summary>
public abstract class Prompt<T>(string id, Func<ChildContext, string> ask) : ChildDialog(id)
{
    /// <summary>The question.</summary>
    public Func<ChildContext, string> Ask { get; } = ask;

    /// <summary>Said after an answer that was not understood or not valid; the question again if unset.</summary>
    public Func<ChildContext, string>? Retry { get; init; }

    /// <summary>Buttons offered with the question and the retry.</summary>
    public Func<ChildContext, IReadOnlyList<Button>>? Buttons { get; init; }

    /// <summary>Checks an understood answer; it may say why it refuses (then no retry prompt is added).</summary>
    public Func<ChildContext, T, bool>? Validator { get; init; }

    /// <summary>Answers that are not understood or not valid, counting the last one, before the prompt gives up.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>An optional question: "bỏ qua", "skip" or the Skip button ends it <see cref="ChildOutcome.Skipped"/>.</summary>
    public bool AllowSkip { get; init; }

    public override Task<ChildResult> BeginAsync(ChildContext cc)
    {
        Say(cc, Ask(cc));
        return Task.FromResult(ChildResult.Waiting);
    }

    public override Task<ChildResult> ContinueAsync(ChildContext cc)
    {
        if (AllowSkip && Answers.IsSkip(cc.Message)) return Task.FromResult(new ChildResult(ChildOutcome.Skipped));
        var repliesBefore = cc.Turn.Replies.Count;
        var answer = Recognize(cc);
        if (answer.Succeeded && (Validator is null || Validator(cc, answer.Value!)))
            return Task.FromResult(new ChildResult(ChildOutcome.Completed, answer.Value));
        if (answer.Pending) return Task.FromResult(ChildResult.Waiting);

        cc.Frame.Attempts++;
        if (cc.Frame.Attempts >= MaxAttempts) return Task.FromResult(new ChildResult(ChildOutcome.Exhausted));
        if (cc.Turn.Replies.Count == repliesBefore) Say(cc, (Retry ?? Ask)(cc));
        return Task.FromResult(ChildResult.Waiting);
    }

    protected abstract Recognition<T> Recognize(ChildContext cc);

    protected void Say(ChildContext cc, string text) => cc.Turn.Say(text, Buttons?.Invoke(cc) is { Count: > 0 } b ? b : null);
}

/// <summary>Free text with at least one letter or digit (emoji and punctuation alone are no answer), NFC-normalised.</summary>
public sealed class TextPrompt(string id, Func<ChildContext, string> ask) : Prompt<string>(id, ask)
{
    /// <summary>Files without words also answer ("tell us or send a photo"); the value is then the text, maybe empty.</summary>
    public bool AllowAttachments { get; init; }

    protected override Recognition<string> Recognize(ChildContext cc)
    {
        var text = VietnameseText.Normalize(cc.Message.Text).Trim();
        var answered = VietnameseText.Fold(text).Length > 0
            || (AllowAttachments && cc.Message.Attachments.Any(a => a.Kind != AttachmentKind.Sticker));
        return answered ? Recognition<string>.Of(text) : Recognition<string>.None;
    }
}

/// <summary>
/// One of a list of abstract buttons: by pressing it, by its label typed with or without
/// diacritics, by its number in the list, or by a word residents use for it (<see cref="Synonyms"/>).
/// The value is the chosen button's payload.
/// </summary>
public sealed class ChoicePrompt : Prompt<string>
{
    public ChoicePrompt(string id, Func<ChildContext, string> ask, Func<ChildContext, IReadOnlyList<Button>> choices) : base(id, ask)
    {
        Choices = choices;
        Buttons = choices;
    }

    public Func<ChildContext, IReadOnlyList<Button>> Choices { get; }

    /// <summary>Folded words (teencode, short forms) → the payload they pick, e.g. "ko" → "no".</summary>
    public IReadOnlyDictionary<string, string> Synonyms { get; init; } = new Dictionary<string, string>();

    protected override Recognition<string> Recognize(ChildContext cc)
    {
        var choices = Choices(cc);
        if (Answers.MatchChoice(cc.Message, choices) is { } payload) return Recognition<string>.Of(payload);
        return cc.Message.ButtonPayload is null && Synonyms.TryGetValue(VietnameseText.Fold(cc.Message.Text), out var synonym)
            && choices.Any(c => c.Payload == synonym)
            ? Recognition<string>.Of(synonym)
            : Recognition<string>.None;
    }
}

/// <summary>
/// Yes or no: the two buttons, or có/co/ừ/uh/ok/dc and không/ko/k as residents type them.
/// The buttons default to «Có» / «Không»; a question may offer its own two (e.g. «Giữ ẩn danh»).
/// </summary>
public sealed class ConfirmPrompt : Prompt<bool>
{
    public const string YesPayload = "yes", NoPayload = "no";

    public ConfirmPrompt(string id, Func<ChildContext, string> ask) : base(id, ask) =>
        Buttons = cc => [YesButton(cc), NoButton(cc)];

    /// <summary>The button that means yes; its payload and label are understood as yes.</summary>
    public Func<ChildContext, Button> YesButton { get; init; } = cc => cc.Turn.Choice("ConfirmYes", YesPayload);

    public Func<ChildContext, Button> NoButton { get; init; } = cc => cc.Turn.Choice("ConfirmNo", NoPayload);

    protected override Recognition<bool> Recognize(ChildContext cc)
    {
        var m = cc.Message;
        Button yes = YesButton(cc), no = NoButton(cc);
        if (m.ButtonPayload is { } payload)
            return payload == yes.Payload ? Recognition<bool>.Of(true) : payload == no.Payload ? Recognition<bool>.Of(false) : Recognition<bool>.None;
        if (Answers.IsYes(m.Text)) return Recognition<bool>.Of(true);
        if (Answers.IsNo(m.Text)) return Recognition<bool>.Of(false);
        return Answers.MatchChoice(m, [yes, no]) is { } label ? Recognition<bool>.Of(label == yes.Payload) : Recognition<bool>.None;
    }
}

/// <summary>A place the resident named or shared: the unit, if one was found, and the name as typed or the point (a pick from buttons has neither).</summary>
public sealed record PlaceAnswer(Unit? Unit, string? Typed, GeoPoint? Point);

/// <summary>
/// A commune or ward: by name (new or former, with or without diacritics, typo-tolerant), by a
/// shared location (point-in-polygon on the unit boundaries; outside Đà Nẵng the answer has no
/// unit and the validator decides), or, when a name fits several units, by one of their buttons.
/// </summary>
public sealed class PlacePrompt(string id, Func<ChildContext, string> ask) : Prompt<PlaceAnswer>(id, ask)
{
    private const string CandidatesSlot = "candidates";

    /// <summary>Payload prefix of the buttons for ambiguous names ("place:", "sub:").</summary>
    public string ButtonPrefix { get; init; } = Payloads.PlacePrefix;

    public int MaxCandidates { get; init; } = 10;

    /// <summary>The question for an ambiguous name; it gets the name as typed.</summary>
    public Func<ChildContext, string, string> Which { get; init; } = (cc, typed) => cc.Turn.T("AskPlaceWhich", typed);

    protected override Recognition<PlaceAnswer> Recognize(ChildContext cc)
    {
        var m = cc.Message;
        var directory = cc.Turn.Services.Directory;
        if (m.ButtonPayload?.StartsWith(ButtonPrefix, StringComparison.Ordinal) == true)
            return directory.FindUnit(m.ButtonPayload[ButtonPrefix.Length..]) is { } pressed ? Found(cc, pressed, null) : Recognition<PlaceAnswer>.None;
        if (m.Location is { } point)
        {
            cc.Frame.Set(CandidatesSlot, null);
            return Recognition<PlaceAnswer>.Of(new PlaceAnswer(directory.Places.FindUnitAt(point.Latitude, point.Longitude).Unit, null, point));
        }
        var typed = VietnameseText.Normalize(m.Text).Trim();
        if (cc.Frame.Get(CandidatesSlot) is { } codes && Answers.MatchChoice(m, CandidateButtons(cc, codes)) is { } picked)
            return Found(cc, directory.FindUnit(picked[ButtonPrefix.Length..]), null);
        if (typed.Length == 0) return Recognition<PlaceAnswer>.None;

        var match = directory.Places.Resolve(typed);
        if (match.Candidates.Count == 0) match = directory.Places.FindInText(typed);
        if (match.Unit is { } unit) return Found(cc, unit, typed);
        if (!match.IsAmbiguous) return Recognition<PlaceAnswer>.None;
        var candidates = string.Join(',', match.Candidates.Take(MaxCandidates).Select(u => u.Code));
        cc.Frame.Set(CandidatesSlot, candidates);
        cc.Turn.Say(Which(cc, typed), CandidateButtons(cc, candidates));
        return Recognition<PlaceAnswer>.AskedAgain;
    }

    private static Recognition<PlaceAnswer> Found(ChildContext cc, Unit? unit, string? typed)
    {
        cc.Frame.Set(CandidatesSlot, null);
        return unit is null ? Recognition<PlaceAnswer>.None : Recognition<PlaceAnswer>.Of(new PlaceAnswer(unit, typed, null));
    }

    private List<Button> CandidateButtons(ChildContext cc, string codes) =>
        codes.Split(',').Select(cc.Turn.Services.Directory.FindUnit).OfType<Unit>()
            .Select(u => new Button(u.Name, ButtonPrefix + u.Code)).ToList();
}

/// <summary>Photos, videos, voice or files (stickers are not evidence). The value is the list of them.</summary>
public sealed class AttachmentPrompt(string id, Func<ChildContext, string> ask) : Prompt<IReadOnlyList<Attachment>>(id, ask)
{
    protected override Recognition<IReadOnlyList<Attachment>> Recognize(ChildContext cc)
    {
        var files = cc.Message.Attachments.Where(a => a.Kind != AttachmentKind.Sticker).ToList();
        return files.Count > 0 ? Recognition<IReadOnlyList<Attachment>>.Of(files) : Recognition<IReadOnlyList<Attachment>>.None;
    }
}

/// <summary>A shared location (Telegram location, Messenger or Zalo location attachment).</summary>
public sealed class LocationPrompt(string id, Func<ChildContext, string> ask) : Prompt<GeoPoint>(id, ask)
{
    protected override Recognition<GeoPoint> Recognize(ChildContext cc) =>
        cc.Message.Location is { } point ? Recognition<GeoPoint>.Of(point) : Recognition<GeoPoint>.None;
}
