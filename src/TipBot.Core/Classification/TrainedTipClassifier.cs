using Microsoft.Extensions.Logging;
using TipBot.Core.Classification.Model;

namespace TipBot.Core.Classification;

/// <summary>
/// The trained tip classifier (docs/classifier.md): a linear model over word and character
/// n-grams of the canonical text (<see cref="Text.ChatText"/>), trained with ML.NET by the
/// `train` command, with softmax probabilities as confidences. Thread-safe and allocation-light:
/// one instance serves the whole process.
/// </summary>
public sealed class TrainedTipClassifier : ITipClassifier
{
    /// <summary>The confidence given to text the model cannot read (empty, emoji, other scripts, 100 KB).</summary>
    public const double UnreadableConfidence = 0.05;

    private static readonly TipClassification Unreadable = new(Category.Other, UnreadableConfidence, Category.Other, 0.0);

    private readonly LinearTextModel _model;
    private readonly string[] _categories;

    public TrainedTipClassifier(TipModel model)
    {
        _model = new LinearTextModel(model);
        _categories = model.Categories.ToArray();
        foreach (var code in _categories)
            if (!Categories.Exists(code)) throw new InvalidDataException($"model category '{code}' is not in categories.csv");
    }

    public TipModel Model => _model.Model;

    public IReadOnlyList<string> CategoryCodes => _categories;

    public static TrainedTipClassifier Load(string path) => new(TipModel.Load(path));

    /// <summary>
    /// The trained model from <paramref name="path"/> (default: the one shipped with the service),
    /// or, when it is missing or unreadable, the keyword baseline with a warning: the service keeps
    /// taking tips and asks residents for the category more often.
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
            logger?.LogWarning("Tip classifier model {Path} could not be loaded ({Reason}); falling back to the keyword classifier, which asks residents for the category more often",
                path, e.Message);
            return new KeywordTipClassifier();
        }
    }

    public TipClassification Classify(string text)
    {
        Span<float> probabilities = stackalloc float[_categories.Length];
        if (!_model.TryPredict(text, probabilities)) return Unreadable;
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

    /// <summary>A probability per category, in <see cref="CategoryCodes"/> order; false when the text is unreadable.</summary>
    public bool TryPredict(string? text, Span<float> probabilities) => _model.TryPredict(text, probabilities);
}
