using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
        if (Array.Exists(model.Weights, w => !Half.IsFinite(w))) throw new InvalidDataException("model weights must be finite numbers");
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

    private static readonly Vector128<float> HalfToSingleScale = Vector128.Create(MathF.ScaleB(1, 112));

    /// <summary>scores += weights × value, the half-precision weights widened four at a time.</summary>
    /// <remarks>
    /// A half's exponent and mantissa bits, moved to a float's places, make a float 2^112 times
    /// smaller than the half (its subnormals too), so one multiply restores it exactly; then the
    /// sign bit goes back on. Not for infinities or NaN, which the constructor refuses. Widening
    /// each row with TensorPrimitives made this multiply-add 2.0 % of the server's CPU under load;
    /// this is 1.2 %, against 0.9 % with float weights (docs/benchmarks.md, sixteenth session).
    /// </remarks>
    private static void MultiplyAdd(ReadOnlySpan<Half> weights, float value, Span<float> scores)
    {
        var bits = MemoryMarshal.Cast<Half, ushort>(weights);
        var i = 0;
        if (Vector128.IsHardwareAccelerated)
        {
            var times = Vector128.Create(value);
            for (; i + 8 <= bits.Length; i += 8)
            {
                var eight = Vector128.Create(bits.Slice(i, 8));
                Add(Vector128.WidenLower(eight), scores.Slice(i, 4));
                Add(Vector128.WidenUpper(eight), scores.Slice(i + 4, 4));
            }

            void Add(Vector128<uint> half, Span<float> into)
            {
                var magnitude = ((half & Vector128.Create(0x7FFFu)) << 13).AsSingle() * HalfToSingleScale;
                var weight = (magnitude.AsUInt32() | ((half & Vector128.Create(0x8000u)) << 16)).AsSingle();
                (Vector128.Create((ReadOnlySpan<float>)into) + weight * times).CopyTo(into);
            }
        }
        for (; i < bits.Length; i++) scores[i] += (float)weights[i] * value;
    }
}
