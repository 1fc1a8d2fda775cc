namespace TipBot.Dialogs.Engine;

/// <summary>
/// Button payloads: short ASCII codes, never user text (Telegram allows 64 bytes of callback data).
/// </summary>
public static class Payloads
{
    public const string Skip = "skip";
    public const string Cancel = "cancel";
    public const string MenuReport = "menu:report";
    public const string MenuStatus = "menu:status";
    public const string MenuHelp = "menu:help";
    public const string MenuNotices = "menu:notices";
    public const string MenuAddInfo = "menu:addinfo";
    public const string SubscribePrefix = "sub:";
    public const string Send = "confirm:send";
    public const string Edit = "confirm:edit";
    public const string AnonymousYes = "anon:yes";
    public const string AnonymousNo = "anon:no";
    public const string PlaceUnknown = "place:unknown";
    public const string PlacePrefix = "place:";
    public const string CategoryPrefix = "cat:";
    public const string TimePrefix = "time:";
    public const string EditPrefix = "edit:";
    public const string AcceptPrefix = "acc:";
    public const string AskPrefix = "ask:";
    public const string ResolvePrefix = "res:";
    public const string AreaPrefix = "area:";
    public const string DuplicatePrefix = "dup:";
    /// <summary>"out:{outcome}:{assignment}" — the outcome of a resolved tip.</summary>
    public const string OutcomePrefix = "out:";
    public const string UnitPrefix = "unit:";
    /// <summary>"ans:{tip}" — the tipster answers an officer's question.</summary>
    public const string AnswerPrefix = "ans:";

    public static string For(string prefix, Guid id) => prefix + id.ToString("N");

    public static bool TryGetId(string? payload, string prefix, out Guid id)
    {
        id = default;
        return payload is not null && payload.StartsWith(prefix, StringComparison.Ordinal)
            && Guid.TryParseExact(payload.AsSpan(prefix.Length), "N", out id);
    }
}
