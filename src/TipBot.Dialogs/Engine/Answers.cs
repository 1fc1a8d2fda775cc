using TipBot.Core.Messaging;
using TipBot.Core.Text;

namespace TipBot.Dialogs.Engine;

/// <summary>
/// Understands short answers the way residents type them: with or without diacritics, in
/// teencode (ko, k, dc, uh), by button, by the button's label, or by its number in the list.
/// </summary>
public static class Answers
{
    private static readonly HashSet<string> YesWords =
        ["co", "c", "ok", "oke", "okie", "okay", "u", "uh", "um", "uhm", "dc", "duoc", "dung", "vang", "da", "dong y", "yes", "y", "yep", "roi", "co a"];

    private static readonly HashSet<string> NoWords =
        ["khong", "ko", "k", "kh", "hong", "hok", "khong can", "thoi", "no", "n", "nope", "khong co"];

    private static readonly HashSet<string> SkipWords = ["bo qua", "bo", "qua", "skip", "bq", "next", "tiep"];

    private static readonly HashSet<string> CancelWords = ["huy", "huy bo", "cancel", "/cancel", "dung lai", "stop bao tin"];

    public static bool IsYes(string? text) => YesWords.Contains(VietnameseText.Fold(text));
    public static bool IsNo(string? text) => NoWords.Contains(VietnameseText.Fold(text));
    public static bool IsSkip(InboundMessage m) => m.ButtonPayload == Payloads.Skip || SkipWords.Contains(VietnameseText.Fold(m.Text));
    public static bool IsCancel(InboundMessage m) =>
        m.ButtonPayload == Payloads.Cancel || CancelWords.Contains(VietnameseText.Fold(m.Text)) || Command(m) == "/cancel";

    /// <summary>"/status TB-1" → "/status"; also strips Telegram's "@botname" suffix.</summary>
    public static string? Command(InboundMessage m)
    {
        var text = m.Text?.Trim();
        if (string.IsNullOrEmpty(text) || text[0] != '/') return null;
        var word = text.Split(' ', 2)[0];
        var at = word.IndexOf('@');
        return (at > 0 ? word[..at] : word).ToLowerInvariant();
    }

    public static string CommandArgument(InboundMessage m)
    {
        var parts = m.Text?.Trim().Split(' ', 2, StringSplitOptions.TrimEntries);
        return parts is { Length: 2 } ? parts[1] : string.Empty;
    }

    /// <summary>The payload of the choice the message picks, or null.</summary>
    public static string? MatchChoice(InboundMessage m, IReadOnlyList<Button> choices)
    {
        if (m.ButtonPayload is { } payload)
            return choices.Any(c => c.Payload == payload) ? payload : null;
        var folded = VietnameseText.Fold(m.Text);
        if (folded.Length == 0) return null;
        if (int.TryParse(folded, out var n) && n >= 1 && n <= choices.Count) return choices[n - 1].Payload;
        return choices.FirstOrDefault(c => VietnameseText.Fold(c.Label) == folded)?.Payload;
    }
}
