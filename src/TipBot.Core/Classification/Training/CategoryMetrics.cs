using System.Globalization;
using System.Text;

namespace TipBot.Core.Classification.Training;

/// <summary>Precision, recall and F1 of one category.</summary>
public sealed record CategoryScore(string Category, int Support, int Predicted, int Correct)
{
    public double Precision => Predicted == 0 ? 0 : (double)Correct / Predicted;
    public double Recall => Support == 0 ? 0 : (double)Correct / Support;
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>Category metrics of a set of predictions against labels.</summary>
public sealed class CategoryMetrics
{
    private readonly Dictionary<(string Label, string Predicted), int> _confusion = new();

    public CategoryMetrics(IEnumerable<(string Label, string Predicted)> pairs, IEnumerable<string>? categories = null)
    {
        var list = pairs.ToList();
        Count = list.Count;
        foreach (var pair in list) _confusion[pair] = _confusion.GetValueOrDefault(pair) + 1;
        var codes = (categories ?? Classification.Categories.All.Select(c => c.Code))
            .Union(list.Select(p => p.Label)).ToList();
        Scores = codes.Select(c => new CategoryScore(c,
                list.Count(p => p.Label == c), list.Count(p => p.Predicted == c), list.Count(p => p.Label == c && p.Predicted == c)))
            .ToList();
        Accuracy = Count == 0 ? 0 : (double)list.Count(p => p.Label == p.Predicted) / Count;
        var present = Scores.Where(s => s.Support > 0).ToList();
        MacroF1 = present.Count == 0 ? 0 : present.Average(s => s.F1);
    }

    public int Count { get; }
    public double Accuracy { get; }

    /// <summary>Mean F1 over the categories that occur in the labels.</summary>
    public double MacroF1 { get; }
    public IReadOnlyList<CategoryScore> Scores { get; }

    /// <summary>The most frequent mistakes: (label, predicted as, count).</summary>
    public IReadOnlyList<(string Label, string Predicted, int Count)> TopConfusions(int n) =>
        _confusion.Where(kv => kv.Key.Label != kv.Key.Predicted)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.Label, StringComparer.Ordinal).ThenBy(kv => kv.Key.Predicted, StringComparer.Ordinal)
            .Take(n).Select(kv => (kv.Key.Label, kv.Key.Predicted, kv.Value)).ToList();

    public string Table()
    {
        var sb = new StringBuilder();
        sb.AppendLine("category          support  precision  recall     F1");
        foreach (var s in Scores.Where(s => s.Support > 0 || s.Predicted > 0))
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{s.Category,-16} {s.Support,8} {s.Precision,10:0.000} {s.Recall,7:0.000} {s.F1,6:0.000}"));
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{"macro",-16} {Count,8} {"",10} {"",7} {MacroF1,6:0.000}   accuracy {Accuracy:0.000} (macro-F1 {MacroF1:0.0000})"));
        return sb.ToString();
    }
}
