using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using TipBot.Core.Classification.Features;
using TipBot.Core.Classification.Model;

namespace TipBot.Core.Classification.Training;

/// <summary>The multiclass learners compared by cross-validation (docs/classifier.md).</summary>
public enum TipTrainerKind
{
    /// <summary>Multinomial logistic regression, L-BFGS (ML.NET LbfgsMaximumEntropy).</summary>
    Lbfgs,

    /// <summary>Multinomial logistic regression, SDCA (ML.NET SdcaMaximumEntropy).</summary>
    Sdca,

    /// <summary>Linear SVMs one-versus-all (ML.NET OneVersusAll over LinearSvm), softmax over margins.</summary>
    Svm,
}

public sealed record TipTrainerOptions
{
    public TipTrainerKind Kind { get; init; } = TipTrainerKind.Lbfgs;
    public TipFeatureOptions Features { get; init; } = new();
    public float L1 { get; init; } = 0f;
    public float L2 { get; init; } = 1e-4f;
    public int Iterations { get; init; } = 0; // 0: the learner's default
    public int Seed { get; init; } = 20251126;
}

/// <summary>
/// Trains the tip model with ML.NET on features from <see cref="TipFeaturizer"/>, then keeps only
/// the linear weights, so serving needs neither ML.NET nor its prediction engines.
/// </summary>
public static class TipTrainer
{
    public static IReadOnlyList<string> CategoryOrder { get; } = Categories.All.Select(c => c.Code).ToList();

    /// <summary>The labels of the urgency model, in model order.</summary>
    public static IReadOnlyList<string> UrgencyLabels { get; } = ["calm", "urgent"];

    public static string UrgencyLabel(LabelledTip tip) => tip.Urgent ? "urgent" : "calm";

    /// <summary>
    /// Trains a model of <paramref name="labels"/> (default: the categories, labelled by
    /// <see cref="LabelledTip.Category"/>; the urgency model passes <see cref="UrgencyLabels"/>).
    /// </summary>
    public static TipModel Train(IReadOnlyList<LabelledTip> tips, TipTrainerOptions options, float temperature = 1f, TipModelInfo? info = null,
        Func<LabelledTip, string>? labelOf = null, IReadOnlyList<string>? labels = null)
    {
        if (tips.Count == 0) throw new ArgumentException("no training tips", nameof(tips));
        labelOf ??= t => t.Category;
        var features = options.Features;
        var hashes = Vocabulary(tips, features);
        var table = new FeatureTable(hashes);
        var categories = labels ?? CategoryOrder;
        var index = categories.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);

        var scratch = new FeatureScratch();
        var rows = new List<TrainingRow>(tips.Count);
        foreach (var tip in tips)
        {
            TipFeaturizer.Extract(tip.Text, features, scratch);
            TipFeaturizer.Vectorize(scratch, features, table);
            var n = scratch.RowCount;
            var indices = scratch.Rows.AsSpan(0, n).ToArray();
            var values = scratch.Values.AsSpan(0, n).ToArray();
            Array.Sort(indices, values);
            rows.Add(new TrainingRow
            {
                Label = (uint)index[labelOf(tip)],
                Features = new VBuffer<float>(hashes.Length, n, values, indices),
            });
        }

        var ml = new MLContext(options.Seed);
        var schema = SchemaDefinition.Create(typeof(TrainingRow));
        schema[nameof(TrainingRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, hashes.Length);
        schema[nameof(TrainingRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), categories.Count);
        var data = ml.Data.LoadFromEnumerable(rows, schema);

        var (weights, biases) = options.Kind switch
        {
            TipTrainerKind.Lbfgs => Linear(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                L1Regularization = options.L1,
                L2Regularization = options.L2,
                OptimizationTolerance = 1e-8f,
                HistorySize = 50,
                MaximumNumberOfIterations = options.Iterations > 0 ? options.Iterations : 1000,
                NumberOfThreads = 1,
            }).Fit(data).Model, categories.Count, hashes.Length),
            TipTrainerKind.Sdca => Linear(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
            {
                L1Regularization = options.L1,
                L2Regularization = options.L2,
                MaximumNumberOfIterations = options.Iterations > 0 ? options.Iterations : 100,
                NumberOfThreads = 1,
                Shuffle = true,
            }).Fit(data).Model, categories.Count, hashes.Length),
            _ => OneVersusAll(ml, rows, options, categories.Count, hashes.Length),
        };

        return new TipModel
        {
            Categories = categories,
            Features = features,
            FeatureHashes = hashes,
            Weights = Array.ConvertAll(weights, w => (Half)w),
            Biases = biases,
            Temperature = temperature,
            Info = (info ?? new TipModelInfo()) with { Trainer = Describe(options), TrainingTips = tips.Count },
        };
    }

    public static string Describe(TipTrainerOptions o) =>
        FormattableString.Invariant($"{o.Kind} L1={o.L1} L2={o.L2} words 1-{o.Features.WordNgramMax} chars {o.Features.CharNgramMin}-{o.Features.CharNgramMax}{(o.Features.ExactWords ? " +exact" : "")}");

    /// <summary>Feature hashes seen in at least MinTipCount tips, in a stable order.</summary>
    private static uint[] Vocabulary(IReadOnlyList<LabelledTip> tips, TipFeatureOptions features)
    {
        var tipCounts = new Dictionary<uint, int>();
        var scratch = new FeatureScratch();
        foreach (var tip in tips)
        {
            TipFeaturizer.Extract(tip.Text, features, scratch);
            for (var i = 0; i < scratch.Count; i++)
                tipCounts[scratch.Hashes[i]] = tipCounts.GetValueOrDefault(scratch.Hashes[i]) + 1;
        }
        var kept = tipCounts.Where(kv => kv.Value >= Math.Max(1, features.MinTipCount)).Select(kv => kv.Key).ToArray();
        Array.Sort(kept);
        return kept;
    }

    private static (float[] Weights, float[] Biases) Linear(LinearMulticlassModelParametersBase model, int categories, int features)
    {
        VBuffer<float>[] perClass = [];
        model.GetWeights(ref perClass, out var classes);
        if (classes != categories) throw new InvalidOperationException($"trainer produced {classes} classes, expected {categories}");
        var weights = new float[features * categories];
        for (var c = 0; c < categories; c++)
            Scatter(perClass[c], c, categories, weights);
        return (weights, model.GetBiases().ToArray());
    }

    /// <summary>One linear SVM per category against all others (ML.NET LinearSvm), margins as scores.</summary>
    private static (float[] Weights, float[] Biases) OneVersusAll(MLContext ml, List<TrainingRow> rows, TipTrainerOptions options, int categories, int features)
    {
        var weights = new float[features * categories];
        var biases = new float[categories];
        var schema = SchemaDefinition.Create(typeof(BinaryRow));
        schema[nameof(BinaryRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        for (var c = 0; c < categories; c++)
        {
            var label = (uint)c;
            var data = ml.Data.LoadFromEnumerable(rows.Select(r => new BinaryRow { Label = r.Label == label, Features = r.Features }), schema);
            var svm = ml.BinaryClassification.Trainers.LinearSvm(new LinearSvmTrainer.Options
            {
                Lambda = options.L2 > 0 ? options.L2 : 1e-3f,
                NumberOfIterations = options.Iterations > 0 ? options.Iterations : 50,
            }).Fit(data).Model;
            var w = svm.Weights;
            for (var f = 0; f < w.Count; f++) weights[f * categories + c] = w[f];
            biases[c] = svm.Bias;
        }
        return (weights, biases);
    }

    private static void Scatter(VBuffer<float> classWeights, int category, int categories, float[] weights)
    {
        var values = classWeights.GetValues();
        if (classWeights.IsDense)
        {
            for (var f = 0; f < values.Length; f++) weights[f * categories + category] = values[f];
            return;
        }
        var indices = classWeights.GetIndices();
        for (var i = 0; i < values.Length; i++) weights[indices[i] * categories + category] = values[i];
    }

    private sealed class BinaryRow
    {
        public bool Label { get; set; }
        public VBuffer<float> Features { get; set; }
    }

    private sealed class TrainingRow
    {
        public uint Label { get; set; }
        public VBuffer<float> Features { get; set; }
    }
}
