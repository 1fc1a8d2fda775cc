using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using TipBot.Core.Classification.Features;
using TipBot.Core.Classification.Model;

namespace TipBot.Core.Classification;

/// <summary>
/// The trained tip classifier (docs/classifier.md): a linear model over word and character
/// n-grams of the canonical text, with softmax probabilities as confidences. Immutable after
/// construction; each thread featurises into its own scratch memory, so one instance serves the
/// whole process concurrently.
/// </summary>
public sealed class TrainedTipClassifier : ITipClassifier
{
    /// <summary>Longer than any tip: a paste, a log or an attack, not something to classify.</summary>
    public const int MaxTipLength = 10_000;

    /// <summary>The confidence given to text the model cannot read (empty, emoji, other scripts).</summary>
    public const double UnreadableConfidence = 0.05;

    private static readonly TipClassification Unreadable = new(Category.Other, UnreadableConfidence, Category.Other, 0.0);

    [ThreadStatic] private static FeatureScratch? t_scratch;

    private readonly TipModel _model;
    private readonly FeatureTable _table;
    private readonly string[] _categories;
    private readonly float[] _weights;
    private readonly float[] _biases;
    private readonly float _inverseTemperature;

    public TrainedTipClassifier(TipModel model)
    {
        _model = model;
        _categories = model.Categories.ToArray();
        foreach (var code in _categories)
            if (!Categories.Exists(code)) throw new InvalidDataException($"model category '{code}' is not in categories.csv");
        if (model.Weights.Length != model.FeatureHashes.Length * _categories.Length)
            throw new InvalidDataException("model weights do not match its features and categories");
        _table = new FeatureTable(model.FeatureHashes);
        _weights = model.Weights;
        _biases = model.Biases;
        _inverseTemperature = model.Temperature > 0 ? 1f / model.Temperature : 1f;
    }

    public TipModel Model => _model;

    public IReadOnlyList<string> CategoryCodes => _categories;

    public static TrainedTipClassifier Load(string path) => new(TipModel.Load(path));

    /// <summary>
    /// The trained model from <paramref name="path"/> (default: the one shipped with the service),
    /// or, when it is missing or unreadable, the keyword baseline with a warning: the service keeps
    /// taking tips and asks the category more often.
    /// </summary>
    public static ITipClassifier LoadOrFallback(string? path = null, ILogger? logger = null)
    {
        path ??= TipModel.DefaultPath;
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var classifier = Load(path);
            logger?.LogInformation("Tip classifier model loaded from {Path} in {Milliseconds:0} ms ({Features} features, {Trainer})",
                path, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds, classifier.Model.FeatureHashes.Length, classifier.Model.Info.Trainer);
            return classifier;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            logger?.LogWarning("Tip classifier model {Path} could not be loaded ({Reason}); using the keyword classifier, which asks residents for the category more often",
                path, e.Message);
            return new KeywordTipClassifier();
        }
    }

    public TipClassification Classify(string text)
    {
        Span<float> probabilities = stackalloc float[_categories.Length];
        if (!TryPredict(text, probabilities)) return Unreadable;
        var best = 0;
        var second = -1;
        for (var k = 1; k < probabilities.Length; k++)
        {
            if (probabilities[k] > probabilities[best]) { second = best; best = k; }
            else if (second < 0 || probabilities[k] > probabilities[second]) second = k;
        }
        if (second < 0) second = best == 0 ? 1 : 0;
        return new TipClassification(_categories[best], probabilities[best], _categories[second], probabilities[second]);
    }

    /// <summary>
    /// Writes a probability per category (in <see cref="CategoryCodes"/> order). False when the
    /// text is nothing the model can read: empty, too long, or without a single word it knows.
    /// </summary>
    public bool TryPredict(string? text, Span<float> probabilities)
    {
        if (probabilities.Length != _categories.Length) throw new ArgumentException("one probability per category", nameof(probabilities));
        if (string.IsNullOrEmpty(text) || text.Length > MaxTipLength) return false;

        var scratch = t_scratch ??= new FeatureScratch();
        var options = _model.Features;
        TipFeaturizer.Extract(text, options, scratch);
        TipFeaturizer.Vectorize(scratch, options, _table);
        if (scratch.KnownWords == 0) return false;

        var k = _categories.Length;
        _biases.CopyTo(probabilities);
        var rows = scratch.Rows;
        var values = scratch.Values;
        for (var i = 0; i < scratch.RowCount; i++)
            MultiplyAdd(_weights.AsSpan(rows[i] * k, k), values[i], probabilities);

        var max = float.NegativeInfinity;
        for (var c = 0; c < k; c++) max = MathF.Max(max, probabilities[c] *= _inverseTemperature);
        var sum = 0f;
        for (var c = 0; c < k; c++) sum += probabilities[c] = MathF.Exp(probabilities[c] - max);
        for (var c = 0; c < k; c++) probabilities[c] /= sum;
        return true;
    }

    private static void MultiplyAdd(ReadOnlySpan<float> weights, float value, Span<float> scores)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && weights.Length >= Vector<float>.Count)
        {
            var w = MemoryMarshal.Cast<float, Vector<float>>(weights);
            var s = MemoryMarshal.Cast<float, Vector<float>>(scores);
            var v = new Vector<float>(value);
            for (var j = 0; j < w.Length; j++) s[j] += w[j] * v;
            i = w.Length * Vector<float>.Count;
        }
        for (; i < weights.Length; i++) scores[i] += weights[i] * value;
    }
}
