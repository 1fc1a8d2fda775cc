using TipBot.Core.Classification.Training;

namespace TipBot.Benchmarks;

/// <summary>
/// `train-model --out FILE`: a model trained on training/ with TipTrainer's default options. The
/// classifier's serving cost depends on the model's shape (features × categories), not on how well
/// it was tuned, so this stands in for the shipped model in the benchmarks until it lands.
/// </summary>
public static class ModelForBenchmarks
{
    public static int Train(string[] args)
    {
        var output = args.Length == 2 && args[0] == "--out" ? args[1] : null;
        if (output is null)
        {
            Console.Error.WriteLine("usage: train-model --out FILE");
            return 2;
        }
        var folder = Path.Combine(BenchData.RepoRoot, "training");
        var tips = TipDataset.TrainingFiles(folder).SelectMany(TipDataset.Read).ToList();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var model = TipTrainer.Train(tips, new TipTrainerOptions());
        model.Save(output);
        Console.WriteLine($"{tips.Count} tips, {model.FeatureHashes.Length} features, {model.Categories.Count} categories, trained in "
            + $"{System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s: {output}");
        return 0;
    }
}
