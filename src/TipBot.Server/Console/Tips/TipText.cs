using TipBot.Core.Classification;

namespace TipBot.Server.AdminConsole.Tips;

/// <summary>Names of codes stored on tips, in the console's language.</summary>
public static class TipText
{
    public static string Category(string code) => Categories.Get(code).Name(ConsoleText.Culture);

    public static string Status(string status) => ConsoleText.Text("Status_" + status);

    public static string Outcome(string? outcome) => outcome is null ? "" : ConsoleText.Text("Outcome_" + outcome);

    public static string Event(string kind) => ConsoleText.Text("Event_" + kind);
}
