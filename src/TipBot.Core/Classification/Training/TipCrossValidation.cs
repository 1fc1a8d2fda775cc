using TipBot.Core.Classification.Model;
namespace TipBot.Core.Classification.Training;

/// <summary>Out-of-fold predictions of k-fold cross-validation, with the metrics they give.</summary>
public sealed class CrossValidationResult
{
    public required IReadOnlyList<LabelledTip> Tips { get; init; }
    public required IReadOnlyList<string> Categories { get; init; }

    /// <summary>Per tip, the probabilities its fold's model gave (null: the model could not read it).</summary>
    public required IReadOnlyList<float[]?> Probabilities { get; init; }
    public required int Folds { get; init; }

    public required Func<LabelledTip, string> LabelOf { get; init; }

    public string Predicted(int tip) =>
        Probabilities[tip] is { } p ? Categories[Array.IndexOf(p, p.Max())] : Category.Other;

    public CategoryMetrics Metrics(Func<LabelledTip, bool>? where = null) =>
        new(Enumerable.Range(0, Tips.Count).Where(i => where is null || where(Tips[i])).Select(i => (LabelOf(Tips[i]), Predicted(i))), Categories);

    /// <summary>
    /// The temperature T for softmax(log p / T) that minimises the out-of-fold negative log
    /// likelihood: the shipped model divides its scores by it, so that a confidence of 0.8 is right
    /// about 80 % of the time.
    /// </summary>
    public float FitTemperature()
    {
        var best = 1f;
        var bestLoss = double.MaxValue;
        for (var t = 0.2f; t <= 3.0001f; t += 0.02f)
        {
            var loss = NegativeLogLikelihood(t);
            if (loss < bestLoss) { bestLoss = loss; best = t; }
        }
        return MathF.Round(best, 2);
    }

    public double NegativeLogLikelihood(float temperature)
    {
        var total = 0.0;
        var n = 0;
        for (var i = 0; i < Tips.Count; i++)
        {
            if (Probabilities[i] is not { } p) continue;
            var label = IndexOf(LabelOf(Tips[i]));
            total -= Math.Log(Math.Max(Scaled(p, temperature)[label], 1e-12));
            n++;
        }
        return n == 0 ? 0 : total / n;
    }

    /// <summary>Expected calibration error over 10 bins of the best category's confidence.</summary>
    public double CalibrationError(float temperature = 1f)
    {
        var bins = new (double Confidence, double Correct, int Count)[10];
        var n = 0;
        for (var i = 0; i < Tips.Count; i++)
        {
            if (Probabilities[i] is not { } raw) continue;
            var p = Scaled(raw, temperature);
            var best = Array.IndexOf(p, p.Max());
            var bin = Math.Min(9, (int)(p[best] * 10));
            bins[bin].Confidence += p[best];
            bins[bin].Correct += Categories[best] == LabelOf(Tips[i]) ? 1 : 0;
            bins[bin].Count++;
            n++;
        }
        return n == 0 ? 0 : bins.Where(b => b.Count > 0).Sum(b => Math.Abs(b.Confidence - b.Correct)) / n;
    }

    /// <summary>Share of tips whose confidence reaches the threshold, and the accuracy among them.</summary>
    public (double Share, double Accuracy) AboveThreshold(double threshold, float temperature = 1f)
    {
        var above = 0;
        var correct = 0;
        for (var i = 0; i < Tips.Count; i++)
        {
            if (Probabilities[i] is not { } raw) continue;
            var p = Scaled(raw, temperature);
            var best = Array.IndexOf(p, p.Max());
            if (p[best] < threshold) continue;
            above++;
            if (Categories[best] == LabelOf(Tips[i])) correct++;
        }
        return (Tips.Count == 0 ? 0 : (double)above / Tips.Count, above == 0 ? 0 : (double)correct / above);
    }

    private int IndexOf(string category)
    {
        for (var i = 0; i < Categories.Count; i++) if (Categories[i] == category) return i;
        return -1;
    }

    private static float[] Scaled(float[] p, float temperature)
    {
        if (temperature == 1f) return p;
        var logits = p.Select(x => MathF.Log(MathF.Max(x, 1e-30f)) / temperature).ToArray();
        var max = logits.Max();
        var exp = logits.Select(l => MathF.Exp(l - max)).ToArray();
        var sum = exp.Sum();
        return exp.Select(e => e / sum).ToArray();
    }
}

/// <summary>Stratified k-fold cross-validation of the tip classifier on the training files only.</summary>
public static class TipCrossValidation
{
    public static CrossValidationResult Run(IReadOnlyList<LabelledTip> tips, TipTrainerOptions options, int folds = 5, int parallelism = 2,
        Func<LabelledTip, string>? labelOf = null, IReadOnlyList<string>? labels = null)
    {
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), "at least 2 folds");
        labelOf ??= t => t.Category;
        var fold = Assign(tips, folds, options.Seed);
        var probabilities = new float[]?[tips.Count];
        var categories = labels ?? TipTrainer.CategoryOrder;
        Parallel.For(0, folds, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism) }, f =>
        {
            var train = tips.Where((_, i) => fold[i] != f).ToList();
            var model = new LinearTextModel(TipTrainer.Train(train, options, labelOf: labelOf, labels: categories));
            for (var i = 0; i < tips.Count; i++)
            {
                if (fold[i] != f) continue;
                var p = new float[categories.Count];
                probabilities[i] = model.TryPredict(tips[i].Text, p) ? p : null;
            }
        });
        return new CrossValidationResult { Tips = tips, Categories = categories, Probabilities = probabilities, Folds = folds, LabelOf = labelOf };
    }

    /// <summary>Fold of each tip: every category spread evenly over the folds, in a seeded shuffle.</summary>
    public static int[] Assign(IReadOnlyList<LabelledTip> tips, int folds, int seed)
    {
        var fold = new int[tips.Count];
        var random = new Random(seed);
        foreach (var group in Enumerable.Range(0, tips.Count).GroupBy(i => tips[i].Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            for (var k = 0; k < members.Length; k++) fold[members[k]] = k % folds;
        }
        return fold;
    }
}
