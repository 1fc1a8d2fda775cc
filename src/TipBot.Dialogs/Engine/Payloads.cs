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
}
