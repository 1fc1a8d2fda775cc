using TipBot.Core;
using TipBot.Core.Classification;
using TipBot.Core.Classification.Training;
using TipBot.Core.Directory;

namespace TipBot.Benchmarks;

/// <summary>
/// The real inputs the benchmarks run on: the sample directory shipped with the server, the
/// held-out tips of the classifier's training data, and the trained model when one exists.
/// Found from the repository root, so BenchmarkDotNet's child processes (which run from a
/// generated folder under bin/) read the same files.
/// </summary>
public static class BenchData
{
    /// <summary>Where a trained model is looked for, first match wins; TIPBOT_BENCH_MODEL overrides.</summary>
    public const string ModelVariable = "TIPBOT_BENCH_MODEL";

    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RepoRoot => Root.Value;

    public static string SampleUnitsCsv => Path.Combine(RepoRoot, "src", "TipBot.Server", "SampleDirectory", "units.csv");
    public static string SampleOfficersCsv => Path.Combine(RepoRoot, "src", "TipBot.Server", "SampleDirectory", "officers.csv");

    public static IReadOnlyList<Unit> SampleUnits() => ReadUnits(SampleUnitsCsv);

    public static IReadOnlyList<Unit> ReadUnits(string path)
    {
        using var reader = new StreamReader(path);
        return Csv.Read(reader).Skip(1).Where(f => f.Length == 5).Select(f => new Unit(f[0], f[1],
            Unit.TryParseType(f[2], out var t) ? t : UnitType.Commune, f[3].Length == 0 ? null : f[3],
            f[4].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))).ToList();
    }

    public static IReadOnlyList<Officer> SampleOfficers()
    {
        using var reader = new StreamReader(SampleOfficersCsv);
        return Csv.Read(reader).Skip(1).Where(f => f.Length == 7).Select(f => new Officer(f[0], f[1], f[2],
            Officer.TryParseRole(f[3], out var r) ? r : OfficerRole.Officer, f[4], f[5], f[6].Length == 0 ? null : f[6])).ToList();
    }

    public static UnitDirectory SampleDirectory() => new(SampleUnits(), SampleOfficers());

    /// <summary>Real tips as residents type them (with and without diacritics, teencode), from the held-out set.</summary>
    public static IReadOnlyList<string> HeldOutTips(int count)
    {
        var tips = TipDataset.Read(Path.Combine(RepoRoot, "training", "tips-heldout.csv"));
        // Every k-th tip, so the sample spans the file's categories rather than its first rows.
        var step = Math.Max(1, tips.Count / count);
        return tips.Where((_, i) => i % step == 0).Take(count).Select(t => t.Text).ToList();
    }

    public static string? ModelPath()
    {
        if (Environment.GetEnvironmentVariable(ModelVariable) is { Length: > 0 } set) return File.Exists(set) ? set : null;
        string[] candidates =
        [
            Path.Combine(RepoRoot, "src", "TipBot.Core", "Classification", "Model", "tips-model.zip"),
            Path.Combine(RepoRoot, "src", "TipBot.Server", "Classification", "Model", "tips-model.zip"),
            Path.Combine(RepoRoot, "src", "TipBot.Server", "bin", "Release", "net10.0", "Classification", "Model", "tips-model.zip"),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>"keyword" always; "trained" when a model file is found.</summary>
    public static IEnumerable<string> ClassifierNames() => ModelPath() is null ? ["keyword"] : ["keyword", "trained"];

    public static ITipClassifier Classifier(string name) => name switch
    {
        "keyword" => new KeywordTipClassifier(),
        "trained" => TrainedTipClassifier.Load(ModelPath() ?? throw new FileNotFoundException("no trained model found")),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "keyword or trained"),
    };

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "TipBot.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException("TipBot.sln not found above " + AppContext.BaseDirectory);
    }
}
