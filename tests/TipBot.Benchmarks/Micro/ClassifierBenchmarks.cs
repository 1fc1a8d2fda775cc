using BenchmarkDotNet.Attributes;
using TipBot.Core.Classification;

namespace TipBot.Benchmarks.Micro;

/// <summary>
/// ITipClassifier.Classify on real held-out tips, per tip. "keyword" is the baseline registered
/// today; "trained" runs when a model file is found (BenchData.ModelPath, or TIPBOT_BENCH_MODEL).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class ClassifierBenchmarks
{
    private const int Tips = 200;
    private ITipClassifier _classifier = null!;
    private readonly UrgencyDetector _urgency = new();
    private string[] _tips = [];

    [ParamsSource(nameof(Classifiers))]
    public string Classifier { get; set; } = "keyword";

    public static IEnumerable<string> Classifiers => BenchData.ClassifierNames();

    [GlobalSetup]
    public void Setup()
    {
        _classifier = BenchData.Classifier(Classifier);
        _tips = BenchData.HeldOutTips(Tips).ToArray();
        if (_tips.Length != Tips) throw new InvalidOperationException($"expected {Tips} held-out tips, got {_tips.Length}");
    }

    [Benchmark(OperationsPerInvoke = Tips)]
    public double Classify()
    {
        var sum = 0.0;
        foreach (var tip in _tips) sum += _classifier.Classify(tip).Confidence;
        return sum;
    }

    /// <summary>Runs on every message, before the dialog (interruptions).</summary>
    [Benchmark(OperationsPerInvoke = Tips)]
    public int UrgencyIsUrgent()
    {
        var n = 0;
        foreach (var tip in _tips) if (_urgency.IsUrgent(tip)) n++;
        return n;
    }
}
