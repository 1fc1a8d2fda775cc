using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TipBot.Dialogs.Engine;

/// <summary>
/// Reads stored conversation state of any schema this version knows: each step turns the JSON of
/// version N into version N + 1, so a conversation in progress survives a deploy. A shape it does
/// not know (newer, or unreadable) is discarded and the conversation restarts politely.
/// </summary>
public static class StateMigrations
{
    /// <summary>Steps[i] turns version i + 1 into version i + 2.</summary>
    private static readonly Func<JsonObject, JsonObject>[] Steps = [V1ToV2];

    public static (ConversationState? State, bool Discarded) Load(string? json, JsonSerializerOptions options) =>
        Load(json is null ? [] : Encoding.UTF8.GetBytes(json), options);

    public static (ConversationState? State, bool Discarded) Load(ReadOnlySpan<byte> utf8Json, JsonSerializerOptions options)
    {
        if (utf8Json.IsEmpty) return (null, false);
        try
        {
            // Nearly every stored state is of the current schema, written with its version first:
            // read it once, straight into the state (parsing it as a tree first cost 1 % of the
            // server's CPU under load, docs/benchmarks.md). Anything else takes the general road.
            if (LeadingSchemaVersion(utf8Json) == ConversationState.CurrentSchemaVersion)
                return JsonSerializer.Deserialize<ConversationState>(utf8Json, options) is { } current ? (current, false) : (null, true);

            if (JsonNode.Parse(utf8Json) is not JsonObject root
                || !root.TryGetPropertyValue("schemaVersion", out var versionNode) || versionNode is not JsonValue v || !v.TryGetValue(out int version)
                || version < 1 || version > ConversationState.CurrentSchemaVersion)
                return (null, true);
            for (; version < ConversationState.CurrentSchemaVersion; version++)
            {
                root = Steps[version - 1](root);
                root["schemaVersion"] = version + 1;
            }
            var state = root.Deserialize<ConversationState>(options);
            return state is null ? (null, true) : (state, false);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return (null, true);
        }
    }

    /// <summary>The schema version when it is the object's first property (as this version writes it), else null.</summary>
    private static int? LeadingSchemaVersion(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        return reader.Read() && reader.TokenType == JsonTokenType.StartObject
            && reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("schemaVersion"u8)
            && reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var version)
            ? version : null;
    }

    /// <summary>
    /// v2: the status, subscribe, add-information and answer conversations became component dialogs whose question is a
    /// prompt on their inner stack. v1 kept the question in the dialog's own frame
    /// (<c>{"id":"status","awaiting":"code","attempts":1}</c>); it moves, with its attempt count,
    /// into an inner prompt frame (<c>{"id":"status","inner":[{"id":"code","attempts":1}]}</c>).
    /// Every other frame is unchanged.
    /// </summary>
    private static JsonObject V1ToV2(JsonObject root)
    {
        if (root["stack"] is not JsonArray stack) return root;
        foreach (var frame in stack.OfType<JsonObject>())
        {
            var prompt = ((string?)frame["id"], (string?)frame["awaiting"]) switch
            {
                ("status", "code") => "code",
                ("subscribe", "place") => "place",
                ("addinfo", "code" or "text") => (string?)frame["awaiting"],
                ("answer", "answer") => "answer",
                _ => null,
            };
            if (prompt is null) continue;
            var attempts = frame["attempts"]?.DeepClone() ?? 0;
            frame.Remove("awaiting");
            frame["attempts"] = 0;
            frame["inner"] = new JsonArray(new JsonObject { ["id"] = prompt, ["attempts"] = attempts, ["slots"] = new JsonObject() });
        }
        return root;
    }
}
