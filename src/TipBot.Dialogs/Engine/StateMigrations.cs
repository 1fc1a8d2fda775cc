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

    public static (ConversationState? State, bool Discarded) Load(string? json, JsonSerializerOptions options)
    {
        if (string.IsNullOrEmpty(json)) return (null, false);
        try
        {
            if (JsonNode.Parse(json) is not JsonObject root
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
