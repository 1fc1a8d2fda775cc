using System.Text.Json.Serialization;

namespace TipBot.Dialogs.Engine;

/// <summary>
/// What is remembered between turns of one conversation: plain data, serialized with
/// System.Text.Json, no type names. <see cref="SchemaVersion"/> lets a later deploy read or
/// politely discard a shape it no longer knows.
/// </summary>
public sealed class ConversationState
{
    public const int CurrentSchemaVersion = 2; // v2: component dialogs' inner stacks (StateMigrations)

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;
    public string Culture { get; set; } = "vi";
    public bool Greeted { get; set; }
    public List<DialogFrame> Stack { get; set; } = [];

    /// <summary>Wrong tip PINs typed in this conversation (it outlives the status dialog, not the state's TTL).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int PinFailures { get; set; }

    /// <summary>After too many wrong PINs, none is checked until then.</summary>
    public DateTimeOffset? PinLockedUntil { get; set; }
}

/// <summary>One dialog on the stack: its id, the question it waits on, and its slots.</summary>
public sealed class DialogFrame
{
    public string Id { get; set; } = "";
    public string? Awaiting { get; set; }
    public int Attempts { get; set; }
    public Dictionary<string, string> Slots { get; set; } = [];

    /// <summary>A component dialog's own stack of children (prompts); null when it has none.</summary>
    public List<DialogFrame>? Inner { get; set; }

    public string? Get(string slot) => Slots.GetValueOrDefault(slot);

    public void Set(string slot, string? value)
    {
        if (value is null) Slots.Remove(slot);
        else Slots[slot] = value;
    }
}
