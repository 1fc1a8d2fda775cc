using System.Text.Json;
using System.Text.Json.Serialization;
using TipBot.Dialogs.Engine;

namespace TipBot.Server.Conversations;

/// <summary>
/// JSON for conversation state and turn effects: explicit DTOs, no .NET type names. UTF-8 bytes,
/// as they are encrypted and stored: no string in between.
/// </summary>
public static class StateSerializer
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Vietnamese letters as UTF-8, not \uXXXX: state stays within its 2 KB budget. Never rendered as HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Serialize(ConversationState state) => JsonSerializer.SerializeToUtf8Bytes(state, Options);

    /// <summary>
    /// Reads stored state, migrating an older schema step by step (<see cref="StateMigrations"/>).
    /// A shape this version does not know (a newer schema, or one it cannot parse) is discarded,
    /// and the conversation restarts politely instead of failing every turn.
    /// </summary>
    public static (ConversationState? State, bool Discarded) Deserialize(ReadOnlySpan<byte> utf8Json) => StateMigrations.Load(utf8Json, Options);

    public static byte[] Serialize(TurnEffects effects) => JsonSerializer.SerializeToUtf8Bytes(effects, Options);

    public static TurnEffects DeserializeEffects(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize<TurnEffects>(utf8Json, Options) ?? throw new JsonException("empty effects");
}
