using System.Numerics.Tensors;
using TipBot.Core.Classification.Features;

namespace TipBot.Core.Classification.Model;

/// <summary>
/// Scores a text with a <see cref="TipModel"/>: featurise, look the features up, add up their
/// weights, softmax. Immutable; each thread featurises into its own scratch memory, so one
/// instance serves the whole process concurrently and allocates nothing per text.
/// </summary>
public sealed class LinearTextModel
{
    /// <summary>Longer than any tip: a paste, a log or an attack, not something to classify.</summary>
    public const int MaxTextLength = 10_000;

    [ThreadStatic] private static FeatureScratch? t_scratch;

    private readonly FeatureTable _table;
    private readonly TipFeatureOptions _features;
    private readonly Half[] _weights;
    private readonly float[] _biases;
    private readonly float _inverseTemperature;

    public LinearTextModel(TipModel model)
    {
        Model = model;
        Labels = model.Categories.ToArray();
        if (Labels.Count < 2) throw new InvalidDataException("a model needs at least two labels");
        if (model.Weights.Length != model.FeatureHashes.Length * Labels.Count || model.Biases.Length != Labels.Count)
            throw new InvalidDataException("model weights do not match its features and labels");
        _table = FeatureTable.For(model.FeatureHashes);
        _features = model.Features;
        _weights = model.Weights;
        _biases = model.Biases;
        _inverseTemperature = model.Temperature > 0 ? 1f / model.Temperature : 1f;
    }

    public TipModel Model { get; }

    public IReadOnlyList<string> Labels { get; }

    /// <summary>
    /// Writes a probability per label (in <see cref="Labels"/> order). False when the text is
    /// nothing the model can read: empty, too long, or without a single word it knows.
    /// </summary>
    public bool TryPredict(string? text, Span<float> probabilities)
    {
        var k = _biases.Length;
        if (probabilities.Length != k) throw new ArgumentException("one probability per label", nameof(probabilities));
        if (string.IsNullOrEmpty(text) || text.Length > MaxTextLength) return false;

        var scratch = t_scratch ??= new FeatureScratch();
        TipFeaturizer.Extract(text, _features, scratch);
        TipFeaturizer.Vectorize(scratch, _features, _table);
        if (scratch.KnownWords == 0) return false;

        _biases.CopyTo(probabilities);
        Span<float> weights = stackalloc float[k];
        var rows = scratch.Rows;
        var values = scratch.Values;
        for (var i = 0; i < scratch.RowCount; i++)
        {
            TensorPrimitives.ConvertToSingle(_weights.AsSpan(rows[i] * k, k), weights);
            TensorPrimitives.MultiplyAdd(weights, values[i], probabilities, probabilities);
        }

        var max = float.NegativeInfinity;
        for (var c = 0; c < k; c++) max = MathF.Max(max, probabilities[c] *= _inverseTemperature);
        var sum = 0f;
        for (var c = 0; c < k; c++) sum += probabilities[c] = MathF.Exp(probabilities[c] - max);
        for (var c = 0; c < k; c++) probabilities[c] /= sum;
        return true;
    }
}
