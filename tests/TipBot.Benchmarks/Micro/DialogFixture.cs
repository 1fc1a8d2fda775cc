using TipBot.Core.Classification;
using TipBot.Core.Messaging;
using TipBot.Dialogs.Engine;
using TipBot.Server.Conversations;

namespace TipBot.Benchmarks.Micro;

/// <summary>
/// A resident's tip conversation run through the real DialogEngine, no I/O: the states between
/// turns (what the benchmarks start from) and what each turn produced. The same conversation as
/// the Telegram integration tests and the load harness: free text naming the ward, then the time,
/// anonymity and "Gửi" buttons.
/// </summary>
public sealed class DialogFixture
{
    public const string ChatId = "7300000001";
    public const string TipText = "Tối qua có nhóm thanh niên bán ma túy ở phường Hải Châu, gần chợ";
    public const string TipWithoutPlace = "Tối nào cũng có nhóm thanh niên bán ma túy gần chợ";

    private static readonly DateTimeOffset SentAt = new(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);
    private int _delivery;

    public DialogFixture(string classifier = "keyword")
    {
        Engine = new DialogEngine();
        Services = new TurnServices(BenchData.SampleDirectory(), BenchData.Classifier(classifier), new UrgencyDetector(),
            new NoTips(), TimeProvider.System, "TB", "vi");

        FirstMessage = Text(TipText);
        TimeButton = Button("time:yesterday");
        AnonymousButton = Button("anon:yes");
        SendButton = Button("confirm:send");
        PlaceTyped = Text("hai chau");

        Stages["new"] = new Stage(null, null);
        var first = Run(null, FirstMessage);
        Stages["awaiting_time"] = Expect(first, "time");
        var time = Run(first.State, TimeButton);
        Stages["awaiting_anonymous"] = Expect(time, "anonymous");
        var anonymous = Run(time.State, AnonymousButton);
        Stages["awaiting_confirm"] = Expect(anonymous, "confirm");
        var sent = Run(anonymous.State, SendButton);
        if (sent.Commands.Count != 1 || sent.Commands[0] is not SubmitTip) throw new InvalidOperationException("confirm:send did not submit the tip");
        Stages["submitted"] = new Stage(sent.State, sent);

        var withoutPlace = Run(null, Text(TipWithoutPlace));
        Stages["awaiting_place"] = Expect(withoutPlace, "place");

        // The longest description a tip keeps (ReportTipDialog.MaxDescriptionLength): the state's worst case.
        var longTip = string.Concat(Enumerable.Repeat(TipText + ". ", 40))[..2000];
        var l1 = Run(null, Text(longTip));
        var l2 = Run(Expect(l1, "time").State, TimeButton);
        var l3 = Run(Expect(l2, "anonymous").State, AnonymousButton);
        Stages["awaiting_confirm_2000_chars"] = Expect(l3, "confirm");
    }

    public DialogEngine Engine { get; }
    public TurnServices Services { get; }
    public InboundMessage FirstMessage { get; }
    public InboundMessage TimeButton { get; }
    public InboundMessage AnonymousButton { get; }
    public InboundMessage SendButton { get; }
    public InboundMessage PlaceTyped { get; }

    /// <summary>The state a conversation is in, and the turn that brought it there (null for "new").</summary>
    public sealed record Stage(ConversationState? State, TurnResult? Turn);

    public Dictionary<string, Stage> Stages { get; } = [];

    public ConversationState StateAt(string stage) => Stages[stage].State ?? throw new InvalidOperationException($"{stage} has no state");

    public InboundMessage Text(string text) => new()
    {
        Channel = "telegram", ChatId = ChatId, DeliveryId = $"{ChatId}:{++_delivery}", SentAt = SentAt, Text = text, LanguageHint = "vi",
    };

    public InboundMessage Button(string payload) => new()
    {
        Channel = "telegram", ChatId = ChatId, DeliveryId = $"cb:{++_delivery}", SentAt = SentAt, ButtonPayload = payload, LanguageHint = "vi",
    };

    /// <summary>A deep copy: a turn changes the state it is given, and every benchmark invocation needs the same start.</summary>
    public static ConversationState Clone(ConversationState state) => new()
    {
        SchemaVersion = state.SchemaVersion,
        Culture = state.Culture,
        Greeted = state.Greeted,
        Stack = state.Stack.Select(f => new DialogFrame { Id = f.Id, Awaiting = f.Awaiting, Attempts = f.Attempts, Slots = new Dictionary<string, string>(f.Slots) }).ToList(),
    };

    public int StateBytes(string stage) => Stages[stage].State is { } s ? StateSerializer.Serialize(s).Length : 0;

    public int EffectsBytes(string stage) => Stages[stage].Turn is { } t ? StateSerializer.Serialize(Effects(t)).Length : 0;

    public static TurnEffects Effects(TurnResult turn) => new(new ChatAddress("telegram", ChatId), turn.Replies, turn.Commands);

    private TurnResult Run(ConversationState? state, InboundMessage message) =>
        Engine.RunTurnAsync(state is null ? null : Clone(state), message, Services).GetAwaiter().GetResult();

    /// <summary>
    /// The stage where the dialog awaits <paramref name="awaiting"/>. A classifier unsure of the
    /// category asks it first: answered with its best guess, as a resident would press it.
    /// </summary>
    private Stage Expect(TurnResult turn, string awaiting)
    {
        for (var i = 0; i < 3; i++)
        {
            var top = turn.State.Stack.LastOrDefault();
            if (top?.Awaiting == awaiting) return new Stage(turn.State, turn);
            if (top?.Awaiting != "category") break;
            var best = turn.Replies[^1].ButtonsOrEmpty.First(b => b.Payload.StartsWith("cat:", StringComparison.Ordinal)).Payload;
            turn = Run(turn.State, Button(best));
        }
        throw new InvalidOperationException($"the dialog changed: expected to await '{awaiting}', got '{turn.State.Stack.LastOrDefault()?.Awaiting ?? "nothing"}' after: "
            + string.Join(" | ", turn.Replies.Select(r => r.Text)));
    }

    private sealed class NoTips : ITipLookup
    {
        public Task<TipStatusView?> FindByCodeAsync(string code, CancellationToken ct) => Task.FromResult<TipStatusView?>(null);
    }
}
