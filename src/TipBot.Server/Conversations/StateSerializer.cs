using System.Text.Json;
using System.Text.Json.Serialization;
using TipBot.Dialogs.Engine;

namespace TipBot.Server.Conversations;

/// <summary>JSON for conversation state and turn effects: explicit DTOs, no .NET type names.</summary>
public static class StateSerializer
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Vietnamese letters as UTF-8, not \uXXXX: state stays within its 2 KB budget. Never rendered as HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(ConversationState state) => JsonSerializer.Serialize(state, Options);

    /// <summary>
    /// Reads stored state, migrating an older schema step by step (<see cref="StateMigrations"/>).
    /// A shape this version does not know (a newer schema, or one it cannot parse) is discarded,
    /// and the conversation restarts politely instead of failing every turn.
    /// </summary>
    public static (ConversationState? State, bool Discarded) Deserialize(string? json) => StateMigrations.Load(json, Options);

    public static string Serialize(TurnEffects effects) => JsonSerializer.Serialize(effects, Options);

    public static TurnEffects DeserializeEffects(string json) =>
        JsonSerializer.Deserialize<TurnEffects>(json, Options) ?? throw new JsonException("empty effects");
}
