using TipBot.Core.Classification;
using TipBot.Core.Classification.Features;
using TipBot.Core.Classification.Model;

namespace TipBot.Core.Tests;

public class LinearTextModelTests
{
    private const string Text = "có người bán ma túy trong phòng trọ cuối hẻm";
    private static readonly TipFeatureOptions Features = new() { MinTipCount = 1 };

    [Fact]
    public void Scores_are_the_half_precision_weights_as_written_including_the_tiniest()
    {
        var hashes = HashesOf(Text);
        // 19 labels: whole vectors and a remainder. Large weights, negative ones, and subnormal ones
        // (below half's smallest normal, 6.1e-5; the shipped models have thousands).
        const int k = 19;
        var weights = new Half[hashes.Length * k];
        for (var i = 0; i < weights.Length; i++)
            weights[i] = (Half)((i % 3) switch { 0 => i % 7 * 1.25f, 1 => 3e-6f * (i % 13 + 1), _ => -0.5f * (i % 5) });
        var model = new TipModel
        {
            Categories = Enumerable.Range(0, k).Select(c => $"label{c}").ToArray(),
            Features = Features,
            FeatureHashes = hashes,
            Weights = weights,
            Biases = Enumerable.Range(0, k).Select(c => c * 0.01f - 0.05f).ToArray(),
        };

        var probabilities = new float[k];
        Assert.True(new LinearTextModel(model).TryPredict(Text, probabilities));

        Assert.Equal(Reference(model, Text), probabilities);
    }

    [Fact]
    public void A_model_with_an_infinite_or_undefined_weight_is_refused()
    {
        var hashes = HashesOf(Text);
        foreach (var bad in new[] { Half.PositiveInfinity, Half.NegativeInfinity, Half.NaN })
        {
            var weights = new Half[hashes.Length * 2];
            weights[^1] = bad;
            var model = new TipModel { Categories = ["a", "b"], Features = Features, FeatureHashes = hashes, Weights = weights, Biases = [0f, 0f] };
            Assert.Throws<InvalidDataException>(() => new LinearTextModel(model));
        }
    }

    [Fact]
    public void Models_with_the_same_features_share_one_table_and_find_every_row()
    {
        var hashes = HashesOf(Text);
        var table = FeatureTable.For(hashes);

        Assert.Same(table, FeatureTable.For((uint[])hashes.Clone()));
        Assert.NotSame(table, FeatureTable.For(hashes[1..]));
        for (var row = 0; row < hashes.Length; row++) Assert.Equal(row, table.Find(hashes[row]));
        var unknown = 0u;
        while (hashes.Contains(unknown)) unknown++;
        Assert.Equal(-1, table.Find(unknown));
    }

    [Fact]
    public void The_shipped_category_and_urgency_models_have_the_same_features()
    {
        // What lets them share one feature table; a retrained pair that did not would only cost 1 MB.
        var urgency = TipModel.Load(Path.Combine(Path.GetDirectoryName(TipModel.DefaultPath)!, UrgencyDetector.ModelFileName));
        Assert.Equal(TipModel.Load(TipModel.DefaultPath).FeatureHashes, urgency.FeatureHashes);
    }

    private static uint[] HashesOf(string text)
    {
        var scratch = new FeatureScratch();
        TipFeaturizer.Extract(text, Features, scratch);
        var hashes = scratch.Hashes.AsSpan(0, scratch.Count).ToArray();
        Array.Sort(hashes);
        return hashes;
    }

    // The sum written out plainly, each weight widened on its own.
    private static float[] Reference(TipModel model, string text)
    {
        var k = model.Categories.Count;
        var scratch = new FeatureScratch();
        TipFeaturizer.Extract(text, model.Features, scratch);
        TipFeaturizer.Vectorize(scratch, model.Features, new FeatureTable(model.FeatureHashes));
        var scores = model.Biases.ToArray();
        for (var i = 0; i < scratch.RowCount; i++)
            for (var c = 0; c < k; c++)
                scores[c] += (float)model.Weights[scratch.Rows[i] * k + c] * scratch.Values[i];
        var max = scores.Max();
        var sum = 0f;
        for (var c = 0; c < k; c++) sum += scores[c] = MathF.Exp(scores[c] - max);
        for (var c = 0; c < k; c++) scores[c] /= sum;
        return scores;
    }
}
