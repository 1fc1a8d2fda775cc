using System.Globalization;
using System.Text;
using TipBot.Core.Messaging;

namespace TipBot.Channels;

/// <summary>
/// What one channel can show, so an adapter renders the dialogs' abstract replies to fit:
/// long texts are split, long labels shortened, and a choice list longer than the channel allows
/// becomes numbered lines the resident answers by number (Answers.MatchChoice takes "2").
/// </summary>
/// <param name="TextLimit">Longest text of one message, in UTF-16 code units.</param>
/// <param name="MaxButtons">Most buttons one message can carry; 0 when the channel has none.</param>
/// <param name="ButtonLabelLength">Longest button label; longer labels are shortened, the payload kept.</param>
/// <param name="CanEditMessages">Whether a sent message can be edited later.</param>
/// <param name="ReplyWindow">How long after the user's last message the bot may write freely; null when unlimited.</param>
public sealed record ChannelCapabilities(int TextLimit, int MaxButtons, int ButtonLabelLength, bool CanEditMessages, TimeSpan? ReplyWindow)
{
    /// <summary>The reply as this channel sends it: the texts in order, the buttons riding on the last one.</summary>
    public RenderedReply Render(Reply reply)
    {
        var text = reply.Text;
        var buttons = reply.ButtonsOrEmpty;
        if (buttons.Count > MaxButtons)
        {
            text = WithNumberedChoices(text, buttons);
            buttons = [];
        }
        else
        {
            buttons = buttons.Select(b => b with { Label = Shorten(b.Label, ButtonLabelLength) }).ToList();
        }
        var parts = TextSplitter.Split(text, TextLimit).Where(p => p.Length > 0).ToList();
        if (parts.Count == 0 && buttons.Count > 0) parts.Add("…"); // a button needs a message to ride on
        return new RenderedReply(parts, buttons);
    }

    private static string WithNumberedChoices(string text, IReadOnlyList<Button> buttons)
    {
        var lines = new StringBuilder(text.TrimEnd());
        lines.Append('\n');
        for (var i = 0; i < buttons.Count; i++)
            lines.Append('\n').Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append(". ").Append(buttons[i].Label);
        return lines.ToString();
    }

    /// <summary>Cuts at a whole text element (never inside a surrogate pair or before a combining mark) and marks the cut.</summary>
    public static string Shorten(string label, int limit)
    {
        if (label.Length <= limit) return label;
        if (limit <= 1) return label[..Math.Max(0, limit)];
        var starts = StringInfo.ParseCombiningCharacters(label);
        var cut = starts.LastOrDefault(i => i <= limit - 1);
        return label[..cut].TrimEnd() + "…";
    }
}

public sealed record RenderedReply(IReadOnlyList<string> Parts, IReadOnlyList<Button> Buttons);
