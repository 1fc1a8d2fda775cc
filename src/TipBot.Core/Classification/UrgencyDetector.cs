using TipBot.Core.Text;

namespace TipBot.Core.Classification;

/// <summary>
/// Danger happening now gets "call 113" before any question, so this errs towards yes:
/// a needless reminder costs a line of text, a missed one can cost a life.
/// </summary>
public sealed class UrgencyDetector
{
    private static readonly string[] NowPhrases =
        ["dang", "ngay bay gio", "bay gio", "vua xong", "vua moi", "cuu voi", "cuu", "khan cap", "gap", "chu", "luc nay"];

    private static readonly string[] DangerPhrases =
        ["dao", "sung", "ma tau", "mau", "bi thuong", "chem", "dam", "danh", "cuop", "giat", "chay", "bat coc", "de doa", "hanh hung", "no"];

    private static readonly string[] AlwaysUrgent = ["cuu voi", "cuu toi", "cuu em", "goi 113", "nguy hiem tinh mang"];

    public bool IsUrgent(string? text)
    {
        var folded = " " + VietnameseText.Fold(text) + " ";
        if (AlwaysUrgent.Any(p => Contains(folded, p))) return true;
        return NowPhrases.Any(p => Contains(folded, p)) && DangerPhrases.Any(p => Contains(folded, p));
    }

    private static bool Contains(string folded, string phrase) =>
        folded.Contains(" " + phrase + " ", StringComparison.Ordinal);
}
