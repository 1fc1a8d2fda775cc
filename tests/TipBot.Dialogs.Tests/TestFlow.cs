using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using TipBot.Core.Classification;
using TipBot.Core.Directory;
using TipBot.Core.Messaging;
using TipBot.Dialogs.Engine;
using TipBot.Dialogs.Resources;

namespace TipBot.Dialogs.Tests;

/// <summary>
/// Drives <see cref="DialogEngine"/> one turn at a time and reads like the conversation:
/// <c>flow.Send("xin chào").AssertReply(...).Press(Payloads.AnonymousYes)</c>.
/// Between turns the state goes through JSON and back, as the real store keeps it, so anything
/// that does not survive a round trip breaks the conversation here too.
/// </summary>
public sealed class TestFlow
{
    // The store's settings (TipBot.Server StateSerializer): web defaults, nulls omitted.
    public static readonly JsonSerializerOptions StateJsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly DialogEngine _engine;
    private readonly TurnServices _services;
    private readonly Queue<Reply> _unread = new();
    private readonly List<TurnCommand> _commands = [];
    private int _deliveries;

    /// <summary>The PINs of this flow's tips, keyed as the server keys them (with a test key).</summary>
    public static readonly ITipPins Pins = new KeyedTipPins(Encoding.UTF8.GetBytes("test-hash-key"));

    public TestFlow(UnitDirectory directory, string chatId = TestDirectory.ResidentChat, string channel = "telegram", ITipLookup? tips = null,
        TimeProvider? clock = null, Dialog? only = null)
    {
        _engine = only is null ? new DialogEngine() : new DialogEngine(only);
        Channel = channel;
        ChatId = chatId;
        _services = new TurnServices(directory, new KeywordTipClassifier(), new UrgencyDetector(), tips ?? new FakeTipLookup(), clock ?? TimeProvider.System, "TB",
            Pins: Pins);
    }

    public string Channel { get; }
    public string ChatId { get; }
    public ChatAddress Address => new(Channel, ChatId);

    /// <summary>The state as the store would hold it after the last turn (null before the first).</summary>
    public string? StateJson { get; private set; }

    public ConversationState? State => StateMigrations.Load(StateJson, StateJsonOptions).State;

    /// <summary>Replies of the last turn, all of them, read or not.</summary>
    public IReadOnlyList<Reply> LastReplies { get; private set; } = [];

    /// <summary>Commands of the last turn.</summary>
    public IReadOnlyList<TurnCommand> LastCommands { get; private set; } = [];

    /// <summary>Every command of the conversation so far.</summary>
    public IReadOnlyList<TurnCommand> Commands => _commands;

    public string Culture => State?.Culture ?? "vi";

    /// <summary>A resource text in the conversation's current language.</summary>
    public string Text(string key, params object?[] args) => args.Length == 0 ? Texts.Get(Culture, key) : Texts.Format(Culture, key, args);

    public TestFlow Send(string? text) => Deliver(m => m with { Text = text });

    public TestFlow Press(string payload) => Deliver(m => m with { ButtonPayload = payload });

    public TestFlow SendLocation(double latitude, double longitude) => Deliver(m => m with { Location = new GeoPoint(latitude, longitude) });

    /// <summary>Starts the next turn from a state stored earlier (e.g. by an older version).</summary>
    public TestFlow WithStoredState(string json)
    {
        StateJson = json;
        return this;
    }

    public TestFlow SendAttachment(AttachmentKind kind, string? caption = null) =>
        Deliver(m => m with { Text = caption, Attachments = [new Attachment(kind, "file-" + Guid.NewGuid().ToString("N"))] });

    public TestFlow Deliver(Func<InboundMessage, InboundMessage> shape)
    {
        var message = shape(new InboundMessage
        {
            Channel = Channel,
            ChatId = ChatId,
            DeliveryId = $"{ChatId}:{++_deliveries}",
            SentAt = DateTimeOffset.UtcNow,
        });

        var stored = StateMigrations.Load(StateJson, StateJsonOptions).State; // as the store loads it: older schemas migrated
        var result = _engine.RunTurnAsync(stored, message, _services).GetAwaiter().GetResult();

        var json = JsonSerializer.Serialize(result.State, StateJsonOptions);
        var again = JsonSerializer.Serialize(JsonSerializer.Deserialize<ConversationState>(json, StateJsonOptions), StateJsonOptions);
        Assert.Equal(json, again); // the state must survive the store unchanged
        StateJson = json;

        _unread.Clear();
        foreach (var reply in result.Replies) _unread.Enqueue(reply);
        LastReplies = result.Replies;
        LastCommands = result.Commands;
        _commands.AddRange(result.Commands);
        return this;
    }

    /// <summary>Checks the next reply of the last turn, in order.</summary>
    public TestFlow AssertReply(Action<Reply> check)
    {
        Assert.True(_unread.Count > 0, "expected another reply; the turn said: " + Describe(LastReplies));
        check(_unread.Dequeue());
        return this;
    }

    /// <summary>The next reply is exactly this resource text, in the conversation's language.</summary>
    public TestFlow AssertReplyIs(string key, params object?[] args)
    {
        var expected = Text(key, args);
        return AssertReply(r => Assert.Equal(expected, r.Text));
    }

    /// <summary>The next reply offers exactly these button payloads, in order.</summary>
    public TestFlow AssertButtons(params string[] payloads) =>
        AssertReply(r => Assert.Equal(payloads, r.ButtonsOrEmpty.Select(b => b.Payload).ToArray()));

    /// <summary>Passes over the remaining replies except the last one.</summary>
    public TestFlow SkipToLastReply()
    {
        while (_unread.Count > 1) _unread.Dequeue();
        return this;
    }

    public TestFlow SkipReplies()
    {
        _unread.Clear();
        return this;
    }

    public TestFlow AssertNoMoreReplies()
    {
        Assert.True(_unread.Count == 0, "unexpected replies: " + Describe(_unread));
        return this;
    }

    public TestFlow AssertNoCommand()
    {
        Assert.Empty(LastCommands);
        return this;
    }

    public T SingleCommand<T>() where T : TurnCommand => Assert.IsType<T>(Assert.Single(Commands));

    public int StateBytes => StateJson is null ? 0 : Encoding.UTF8.GetByteCount(StateJson);

    private static string Describe(IEnumerable<Reply> replies) =>
        string.Join(" | ", replies.Select(r => r.Text + (r.ButtonsOrEmpty.Count > 0 ? " [" + string.Join(", ", r.ButtonsOrEmpty.Select(b => b.Payload)) + "]" : "")));
}

/// <summary>An in-memory tip lookup: the records the status question reads.</summary>
public sealed class FakeTipLookup : ITipLookup
{
    public Dictionary<string, TipStatusView> Tips { get; } = new(StringComparer.Ordinal);

    public Task<TipStatusView?> FindByCodeAsync(string code, CancellationToken ct) => Task.FromResult(Tips.GetValueOrDefault(code));
}

/// <summary>A small directory: two wards sharing the old district name "Hải Châu", and an officer.</summary>
public static class TestDirectory
{
    public const string ResidentChat = "5550001";
    public const string OfficerChat = "9000001";
    public const string Province = "48", HaiChau = "20242", HoaCuong = "20257";

    public static UnitDirectory Create() => new(
    [
        new Unit(Province, "Thành phố Đà Nẵng", UnitType.Province, null, ["Đà Nẵng"]),
        new Unit(HaiChau, "Phường Hải Châu", UnitType.Ward, Province, ["Hải Châu", "Phước Ninh", "Quận Hải Châu"]),
        new Unit(HoaCuong, "Phường Hoà Cường", UnitType.Ward, Province, ["Hoà Cường", "Hòa Cường Bắc", "Hải Châu", "Quận Hải Châu"]),
    ],
    [
        new Officer("o-1", "Nguyễn Văn An", HaiChau, OfficerRole.Officer, "telegram", OfficerChat, null),
        new Officer("d-1", "Trực ban", Province, OfficerRole.DutyDesk, "web", "duty-48", null),
    ]);
}
