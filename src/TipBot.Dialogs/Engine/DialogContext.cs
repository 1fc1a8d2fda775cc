using TipBot.Core.Classification;
using TipBot.Core.Directory;
using TipBot.Core.Messaging;
using TipBot.Dialogs.Resources;

namespace TipBot.Dialogs.Engine;

/// <summary>What a turn may use besides the message and the state. No writes happen through it.</summary>
public sealed record TurnServices(
    UnitDirectory Directory,
    ITipClassifier Classifier,
    UrgencyDetector Urgency,
    ITipLookup Tips,
    TimeProvider Clock,
    string TipCodePrefix,
    string DefaultCulture = "vi",
    ITipPins? Pins = null);

/// <summary>
/// One turn: the message, the state being changed, and the replies and commands buffered until
/// the new state is committed (Bot Framework's TurnContext, without its send-as-you-go).
/// </summary>
public sealed class DialogContext(InboundMessage message, ConversationState state, TurnServices services)
{
    private readonly List<Reply> _replies = [];
    private readonly List<TurnCommand> _commands = [];

    public InboundMessage Message { get; } = message;
    public ConversationState State { get; } = state;
    public TurnServices Services { get; } = services;
    public string Culture => State.Culture;
    public ChatAddress From => new(Message.Channel, Message.ChatId);

    public IReadOnlyList<Reply> Replies => _replies;
    public IReadOnlyList<TurnCommand> Commands => _commands;

    public string T(string key) => Texts.Get(Culture, key);
    public string T(string key, params object?[] args) => Texts.Format(Culture, key, args);

    public void Say(string text, IReadOnlyList<Button>? buttons = null) => _replies.Add(new Reply(text, buttons));
    public void Say(Reply reply) => _replies.Add(reply);
    public void Do(TurnCommand command) => _commands.Add(command);

    public Button Choice(string labelKey, string payload) => new(T(labelKey), payload);

    public DialogFrame? Top => State.Stack.Count > 0 ? State.Stack[^1] : null;

    public DialogFrame Push(string dialogId)
    {
        var frame = new DialogFrame { Id = dialogId };
        State.Stack.Add(frame);
        return frame;
    }

    public void Pop()
    {
        if (State.Stack.Count > 0) State.Stack.RemoveAt(State.Stack.Count - 1);
    }

    public void ClearStack() => State.Stack.Clear();
}
