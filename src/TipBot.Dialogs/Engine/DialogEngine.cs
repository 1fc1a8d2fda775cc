using TipBot.Core.Messaging;
using TipBot.Dialogs.Conversations;
using TipBot.Dialogs.Resources;

namespace TipBot.Dialogs.Engine;

/// <summary>
/// Runs one turn: (state, message) → (new state, replies, commands), with no I/O other than the
/// read-only lookups in <see cref="TurnServices"/>. Interruptions (/start, /help, /cancel,
/// language, danger) are handled before the dialog on top of the stack sees the message.
/// </summary>
public sealed class DialogEngine
{
    private readonly Dictionary<string, Dialog> _dialogs;
    private readonly OfficerConversation _officers = new();

    private readonly Dialog? _only;

    public DialogEngine()
    {
        Dialog[] all = [new ReportTipDialog(), new CheckStatusDialog(), new AnswerOfficerDialog(), new SubscribeDialog(), new AddInfoDialog()];
        _dialogs = all.ToDictionary(d => d.Id);
    }

    /// <summary>An engine whose every conversation is this one dialog: tests of prompts and components alone.</summary>
    internal DialogEngine(Dialog only) : this()
    {
        _only = only;
        _dialogs[only.Id] = only;
    }

    public async Task<TurnResult> RunTurnAsync(ConversationState? stored, InboundMessage message, TurnServices services)
    {
        var state = stored ?? new ConversationState { Culture = Texts.Normalize(message.LanguageHint ?? services.DefaultCulture) };
        var dc = new DialogContext(message, state, services);

        var officer = services.Directory.FindOfficerByChat(message.Channel, message.ChatId);
        if (Answers.Command(message) == "/link")
            dc.Do(new LinkChat(Guid.NewGuid(), dc.From, Answers.CommandArgument(message), state.Culture)); // answered by its handler
        else if (officer is not null)
            _officers.Handle(dc, officer);
        else if (!HandleInterruption(dc, isNew: stored is null))
            await DispatchAsync(dc, isNew: stored is null);

        return new TurnResult(state, dc.Replies, dc.Commands);
    }

    private async Task DispatchAsync(DialogContext dc, bool isNew)
    {
        if (dc.Top is { } frame && _dialogs.TryGetValue(frame.Id, out var dialog))
        {
            await dialog.ContinueAsync(dc, frame);
            return;
        }
        dc.ClearStack(); // a frame of a dialog this version no longer has
        await StartAsync(dc, isNew);
    }

    private bool HandleInterruption(DialogContext dc, bool isNew)
    {
        var m = dc.Message;
        if (dc.Services.Urgency.IsUrgent(m.Text)) dc.Say(dc.T("Emergency"));

        switch (Answers.Command(m))
        {
            case "/start":
                dc.ClearStack();
                Greet(dc, force: true);
                return true;
            case "/help":
                dc.Say(dc.T("Help"));
                return true;
            case "/en" or "/english":
                SwitchLanguage(dc, "en");
                return true;
            case "/vi" or "/tiengviet":
                SwitchLanguage(dc, "vi");
                return true;
            case "/status" or "/subscribe" or "/dangky" or "/bosung" or "/addinfo":
                dc.ClearStack();
                return false; // started below with its argument
            case "/xoadulieu" or "/deletemydata":
                dc.ClearStack();
                dc.Do(new DeleteMyData(dc.From));
                dc.Say(dc.T("DataDeleted"));
                return true;
            case "/stop":
                dc.ClearStack();
                dc.Do(new Unsubscribe(dc.From));
                dc.Say(dc.T("Unsubscribed"));
                return true;
        }
        if (m.ButtonPayload == Payloads.MenuHelp)
        {
            dc.Say(dc.T("Help"));
            return true;
        }
        if (Answers.IsCancel(m))
        {
            dc.Say(dc.T(dc.State.Stack.Count > 0 ? "Cancelled" : "NothingToCancel"));
            dc.ClearStack();
            return true;
        }
        if (m.ButtonPayload?.StartsWith(Payloads.AnswerPrefix, StringComparison.Ordinal) == true)
        {
            dc.ClearStack(); // answering an officer interrupts whatever was in progress
            return false;
        }
        if (isNew && m.ButtonPayload is not null && m.ButtonPayload is not (Payloads.MenuReport or Payloads.MenuStatus or Payloads.MenuNotices or Payloads.MenuAddInfo))
        {
            // A button from a conversation whose state has expired.
            dc.Say(dc.T("Expired"));
            Greet(dc, force: false);
            return true;
        }
        return false;
    }

    private static void SwitchLanguage(DialogContext dc, string culture)
    {
        dc.State.Culture = culture;
        dc.Say(dc.T("LanguageSwitched"));
    }

    private async Task StartAsync(DialogContext dc, bool isNew)
    {
        if (_only is not null)
        {
            await Begin(dc, _only.Id);
            return;
        }
        var m = dc.Message;
        if (Answers.Command(m) == "/status" || m.ButtonPayload == Payloads.MenuStatus)
        {
            await Begin(dc, CheckStatusDialog.DialogId);
            return;
        }
        if (m.ButtonPayload?.StartsWith(Payloads.AnswerPrefix, StringComparison.Ordinal) == true)
        {
            await Begin(dc, AnswerOfficerDialog.DialogId);
            return;
        }
        if (Answers.Command(m) is "/bosung" or "/addinfo" || m.ButtonPayload == Payloads.MenuAddInfo)
        {
            await Begin(dc, AddInfoDialog.DialogId);
            return;
        }
        if (Answers.Command(m) is "/subscribe" or "/dangky" || m.ButtonPayload == Payloads.MenuNotices)
        {
            await Begin(dc, SubscribeDialog.DialogId);
            return;
        }
        if (m.ButtonPayload == Payloads.MenuReport || LooksLikeATip(m))
        {
            if (!dc.State.Greeted) Greet(dc, force: false, withMenu: false);
            await Begin(dc, ReportTipDialog.DialogId);
            return;
        }
        if (!isNew && dc.State.Greeted && !m.IsEmpty && m.Attachments.Count > 0)
            dc.Say(dc.T("NonTextReceived"));
        Greet(dc, force: !isNew && dc.State.Greeted);
    }

    private Task Begin(DialogContext dc, string dialogId) => _dialogs[dialogId].BeginAsync(dc, dc.Push(dialogId));

    // Free text first: anything longer than a greeting is taken as the start of a tip.
    private static bool LooksLikeATip(InboundMessage m)
    {
        if (m.Attachments.Any(a => a.Kind != AttachmentKind.Sticker) || m.Location is not null) return true;
        var folded = TipBot.Core.Text.VietnameseText.Fold(m.Text);
        if (folded.Length == 0 || m.Text!.TrimStart().StartsWith('/')) return false;
        string[] greetings = ["xin chao", "chao", "alo", "hello", "hi", "chao ban", "chao anh", "chao chi", "menu", "bat dau", "start"];
        return !greetings.Contains(folded) && folded.Split(' ').Length >= 3;
    }

    private static void Greet(DialogContext dc, bool force, bool withMenu = true)
    {
        if (!dc.State.Greeted || force)
        {
            dc.Say(dc.T("Greeting"));
            dc.Say(dc.T("Privacy"));
            dc.State.Greeted = true;
        }
        if (withMenu)
            dc.Say(dc.T("Menu"),
            [
                dc.Choice("MenuReport", Payloads.MenuReport),
                dc.Choice("MenuStatus", Payloads.MenuStatus),
                dc.Choice("MenuAddInfo", Payloads.MenuAddInfo),
                dc.Choice("MenuNotices", Payloads.MenuNotices),
                dc.Choice("MenuHelp", Payloads.MenuHelp),
            ]);
    }
}
