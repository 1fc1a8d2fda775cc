using System.Globalization;
using System.Text;
using TipBot.Core.Places;

namespace TipBot.Core.Classification.Training;

/// <summary>Urgency against the labels: recall is what matters (a missed "call 113" can cost a life).</summary>
public sealed record UrgencyScore(int Urgent, int Flagged, int Caught)
{
    public double Recall => Urgent == 0 ? 0 : (double)Caught / Urgent;
    public double Precision => Flagged == 0 ? 0 : (double)Caught / Flagged;
}

/// <summary>
/// Places against the labels. On tips that name a unit, right means the one unit found is one
/// the label names, or, for a label of several units (an old district), exactly those come back
/// as candidates. On tips that name none, any unit found is invented.
/// </summary>
public sealed record PlaceScore(int Named, int Right, int AskedAmongRight, int Wrong, int Missed, int NotNamed, int Invented)
{
    public double Accuracy => Named == 0 ? 0 : (double)Right / Named;
    public double InventedRate => NotNamed == 0 ? 0 : (double)Invented / NotNamed;
}

/// <summary>What `evaluate` measures on a labelled file: categories, urgency, places.</summary>
public sealed class TipEvaluation
{
    public required int Tips { get; init; }
    public required CategoryMetrics Categories { get; init; }
    public required CategoryMetrics CategoriesWithoutDiacritics { get; init; }
    public required UrgencyScore Urgency { get; init; }
    public required PlaceScore? Places { get; init; }
    public required (double Share, double Accuracy) Confident { get; init; }

    /// <summary>The dialog skips the category question at this confidence (ReportTipDialog).</summary>
    public const double ConfidenceToSkipQuestion = 0.45;

    public static TipEvaluation Run(IReadOnlyList<LabelledTip> tips, ITipClassifier classifier, UrgencyDetector urgency, UnitResolver? places)
    {
        var predictions = new (LabelledTip Tip, TipClassification Result)[tips.Count];
        Parallel.For(0, tips.Count, i => predictions[i] = (tips[i], classifier.Classify(tips[i].Text)));

        var confident = predictions.Where(p => p.Result.Confidence >= ConfidenceToSkipQuestion).ToList();
        var flagged = tips.Select(t => urgency.IsUrgent(t.Text)).ToArray();
        return new TipEvaluation
        {
            Tips = tips.Count,
            Categories = new CategoryMetrics(predictions.Select(p => (p.Tip.Category, p.Result.Category))),
            CategoriesWithoutDiacritics = new CategoryMetrics(predictions.Where(p => !p.Tip.HasDiacritics).Select(p => (p.Tip.Category, p.Result.Category))),
            Urgency = new UrgencyScore(tips.Count(t => t.Urgent), flagged.Count(f => f), tips.Where((t, i) => t.Urgent && flagged[i]).Count()),
            Places = places is null ? null : ScorePlaces(tips, places),
            Confident = (tips.Count == 0 ? 0 : (double)confident.Count / tips.Count,
                confident.Count == 0 ? 0 : (double)confident.Count(p => p.Result.Category == p.Tip.Category) / confident.Count),
        };
    }

    public static PlaceScore ScorePlaces(IReadOnlyList<LabelledTip> tips, UnitResolver places)
    {
        int named = 0, right = 0, asked = 0, wrong = 0, missed = 0, notNamed = 0, invented = 0;
        foreach (var tip in tips)
        {
            var match = places.FindInText(tip.Text);
            var found = match.Candidates.Select(u => u.Code).ToHashSet(StringComparer.Ordinal);
            if (tip.PlaceCodes.Count == 0)
            {
                notNamed++;
                if (found.Count > 0) invented++;
                continue;
            }
            named++;
            var labelled = tip.PlaceCodes.ToHashSet(StringComparer.Ordinal);
            if (found.Count == 0) missed++;
            else if (found.Count == 1 && labelled.Overlaps(found)) right++;
            else if (found.Count > 1 && found.SetEquals(labelled)) right++;
            else if (found.Count > 1 && labelled.Overlaps(found)) asked++;
            else wrong++;
        }
        return new PlaceScore(named, right, asked, wrong, missed, notNamed, invented);
    }

    public string Report(int confusions = 12)
    {
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        sb.AppendLine(c, $"{Tips} tips");
        sb.AppendLine();
        sb.Append(Categories.Table());
        sb.AppendLine(c, $"macro-F1 without diacritics: {CategoriesWithoutDiacritics.MacroF1:0.000} ({CategoriesWithoutDiacritics.Count} tips)");
        sb.AppendLine(c, $"confidence >= {ConfidenceToSkipQuestion}: {Confident.Share:P1} of tips (no category question), {Confident.Accuracy:P1} of them right");
        sb.AppendLine();
        sb.AppendLine("top confusions (label -> predicted: count)");
        foreach (var (label, predicted, count) in Categories.TopConfusions(confusions))
            sb.AppendLine(c, $"  {label} -> {predicted}: {count}");
        sb.AppendLine();
        sb.AppendLine(c, $"urgent: recall {Urgency.Recall:0.000} ({Urgency.Caught}/{Urgency.Urgent}), precision {Urgency.Precision:0.000} ({Urgency.Caught}/{Urgency.Flagged})");
        if (Places is { } p)
        {
            sb.AppendLine(c, $"place accuracy on tips that name a unit: {p.Accuracy:0.000} ({p.Right}/{p.Named}); asked among candidates incl. the right one {p.AskedAmongRight}, wrong unit {p.Wrong}, none found {p.Missed}");
            sb.AppendLine(c, $"unit invented on tips that name none: {p.InventedRate:0.000} ({p.Invented}/{p.NotNamed})");
        }
        return sb.ToString();
    }
}
