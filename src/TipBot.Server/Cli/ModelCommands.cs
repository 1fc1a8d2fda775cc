using System.Diagnostics;
using System.Globalization;
using TipBot.Core.Classification;
using TipBot.Core.Classification.Model;
using TipBot.Core.Classification.Training;

namespace TipBot.Server.Cli;

/// <summary>
/// `train` and `evaluate --data FILE` (INTERFACES.md, docs/classifier.md). Training reads only
/// training/tips-train-*.csv: the held-out split is for `evaluate` and is never trained on.
/// </summary>
internal static class ModelCommands
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>
    /// `train [--data DIR] [--out FILE] [--trainer lbfgs|sdca|svm] [--cv FOLDS] [--l2 X] [--seed N]`:
    /// cross-validates (5 folds unless --cv 0), fits the confidence temperature on the out-of-fold
    /// predictions, trains on every training tip and writes the model file that ships with the service.
    /// </summary>
    public static int Train(Dictionary<string, string> options)
    {
        var root = RepoRoot();
        var folder = options.GetValueOrDefault("data") ?? Path.Combine(root ?? Environment.CurrentDirectory, "training");
        var output = options.GetValueOrDefault("out")
            ?? (root is null ? TipModel.FileName : Path.Combine(root, "src", "TipBot.Core", "Classification", "Model", TipModel.FileName));
        if (!System.IO.Directory.Exists(folder))
        {
            Console.Error.WriteLine($"Training folder not found: {folder} (use --data DIR)");
            return 2;
        }
        var files = TipDataset.TrainingFiles(folder);
        if (files.Count == 0)
        {
            Console.Error.WriteLine($"No tips-train-*.csv in {folder}");
            return 2;
        }

        TipTrainerOptions trainer;
        int folds;
        try
        {
            trainer = new TipTrainerOptions();
            if (options.TryGetValue("trainer", out var kind)) trainer = trainer with { Kind = Enum.Parse<TipTrainerKind>(kind, ignoreCase: true) };
            if (options.TryGetValue("l2", out var l2)) trainer = trainer with { L2 = float.Parse(l2, C) };
            if (options.TryGetValue("seed", out var seed)) trainer = trainer with { Seed = int.Parse(seed, C) };
            folds = options.TryGetValue("cv", out var cv) ? int.Parse(cv, C) : 5;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            Console.Error.WriteLine($"Usage: train [--data DIR] [--out FILE] [--trainer lbfgs|sdca|svm] [--cv FOLDS] [--l2 X] [--seed N] ({e.Message})");
            return 2;
        }

        List<LabelledTip> tips;
        try
        {
            tips = files.SelectMany(TipDataset.Read).ToList();
        }
        catch (InvalidDataException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        Console.WriteLine($"{tips.Count} training tips from {string.Join(", ", files.Select(Path.GetFileName))}");
        Console.WriteLine($"trainer: {TipTrainer.Describe(trainer)}");

        var temperature = 1f;
        double? cvMacro = null, cvMacroFolded = null;
        if (folds >= 2)
        {
            var started = Stopwatch.GetTimestamp();
            var result = TipCrossValidation.Run(tips, trainer, folds);
            var all = result.Metrics();
            var folded = result.Metrics(t => !t.HasDiacritics);
            temperature = result.FitTemperature();
            var (share, accuracy) = result.AboveThreshold(TipEvaluation.ConfidenceToSkipQuestion, temperature);
            cvMacro = all.MacroF1;
            cvMacroFolded = folded.MacroF1;
            Console.WriteLine();
            Console.WriteLine($"{folds}-fold cross-validation ({Stopwatch.GetElapsedTime(started).TotalSeconds:0} s):");
            Console.Write(all.Table());
            Console.WriteLine(string.Create(C, $"macro-F1 without diacritics: {folded.MacroF1:0.000} ({folded.Count} tips)"));
            Console.WriteLine(string.Create(C, $"confidence temperature {temperature:0.00}: calibration error {result.CalibrationError():0.000} -> {result.CalibrationError(temperature):0.000}"));
            Console.WriteLine(string.Create(C, $"confidence >= {TipEvaluation.ConfidenceToSkipQuestion}: {share:P1} of tips, {accuracy:P1} of them right"));
            Console.WriteLine("top confusions (label -> predicted: count)");
            foreach (var (label, predicted, count) in all.TopConfusions(10)) Console.WriteLine($"  {label} -> {predicted}: {count}");
        }

        var trainStarted = Stopwatch.GetTimestamp();
        var model = TipTrainer.Train(tips, trainer, temperature, new TipModelInfo
        {
            TrainedAt = DateTimeOffset.UtcNow,
            TrainingFiles = files.Select(Path.GetFileName).ToList()!,
            CrossValidatedMacroF1 = cvMacro is { } m ? Math.Round(m, 4) : null,
            CrossValidatedMacroF1WithoutDiacritics = cvMacroFolded is { } f ? Math.Round(f, 4) : null,
        });
        var trainSeconds = Stopwatch.GetElapsedTime(trainStarted).TotalSeconds;
        model.Save(output);

        var loadStarted = Stopwatch.GetTimestamp();
        TrainedTipClassifier.Load(output);
        var loadMs = Stopwatch.GetElapsedTime(loadStarted).TotalMilliseconds;
        Console.WriteLine();
        Console.WriteLine(string.Create(C,
            $"model: {model.FeatureHashes.Length} features x {model.Categories.Count} categories, trained in {trainSeconds:0.0} s, {new FileInfo(output).Length / 1024.0 / 1024.0:0.00} MB, loads in {loadMs:0} ms"));
        Console.WriteLine($"written to {Path.GetFullPath(output)}");

        TrainUrgency(tips, trainer, folds, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, UrgencyDetector.ModelFileName));
        return 0;
    }

    /// <summary>The threshold on P(urgent) the shipped urgency model uses: chosen for recall (docs/classifier.md).</summary>
    public const float UrgencyThreshold = 0.15f;

    private static void TrainUrgency(List<LabelledTip> tips, TipTrainerOptions trainer, int folds, string output)
    {
        Console.WriteLine();
        if (folds >= 2)
        {
            var result = TipCrossValidation.Run(tips, trainer, folds, labelOf: TipTrainer.UrgencyLabel, labels: TipTrainer.UrgencyLabels);
            int urgent = 0, modelFlagged = 0, modelCaught = 0, rulesFlagged = 0, rulesCaught = 0, bothFlagged = 0, bothCaught = 0;
            for (var i = 0; i < tips.Count; i++)
            {
                var model = result.Probabilities[i] is { } p && p[1] >= UrgencyThreshold && UrgencyDetector.IsLongEnoughForModel(tips[i].Text);
                var rules = UrgencyDetector.MatchesRules(tips[i].Text);
                var isUrgent = tips[i].Urgent;
                urgent += isUrgent ? 1 : 0;
                if (model) { modelFlagged++; if (isUrgent) modelCaught++; }
                if (rules) { rulesFlagged++; if (isUrgent) rulesCaught++; }
                if (model || rules) { bothFlagged++; if (isUrgent) bothCaught++; }
            }
            Console.WriteLine($"urgency, {folds}-fold cross-validation, {urgent} urgent tips:");
            Console.WriteLine(Line("model (P >= " + UrgencyThreshold.ToString(C) + ")", modelCaught, modelFlagged, urgent));
            Console.WriteLine(Line("phrase rules (tuned on these files)", rulesCaught, rulesFlagged, urgent));
            Console.WriteLine(Line("either (what the detector does)", bothCaught, bothFlagged, urgent));
        }
        var urgencyModel = TipTrainer.Train(tips, trainer, info: new TipModelInfo { TrainedAt = DateTimeOffset.UtcNow },
            labelOf: TipTrainer.UrgencyLabel, labels: TipTrainer.UrgencyLabels);
        new TipModel
        {
            Categories = urgencyModel.Categories,
            Features = urgencyModel.Features,
            FeatureHashes = urgencyModel.FeatureHashes,
            Weights = urgencyModel.Weights,
            Biases = urgencyModel.Biases,
            Info = urgencyModel.Info,
            DecisionThreshold = UrgencyThreshold,
        }.Save(output);
        Console.WriteLine(string.Create(C, $"urgency model: {urgencyModel.FeatureHashes.Length} features, {new FileInfo(output).Length / 1024.0 / 1024.0:0.00} MB, written to {output}"));

        static string Line(string what, int caught, int flagged, int urgent) => string.Create(C,
            $"  {what,-38} recall {(urgent == 0 ? 0 : (double)caught / urgent):0.000}  precision {(flagged == 0 ? 0 : (double)caught / flagged):0.000}");
    }

    /// <summary>`evaluate --data FILE [--model FILE]`: categories, urgency and places against a labelled file.</summary>
    public static async Task<int> EvaluateAsync(IServiceProvider services, Dictionary<string, string> options, CancellationToken ct)
    {
        if (!options.TryGetValue("data", out var data))
        {
            await Console.Error.WriteLineAsync("Usage: evaluate --data FILE [--model FILE]");
            return 2;
        }
        if (!File.Exists(data))
        {
            await Console.Error.WriteLineAsync($"File not found: {data}");
            return 2;
        }
        List<LabelledTip> tips;
        try
        {
            tips = TipDataset.Read(data);
        }
        catch (InvalidDataException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        var modelPath = options.GetValueOrDefault("model") ?? TipModel.DefaultPath;
        ITipClassifier classifier;
        if (File.Exists(modelPath))
        {
            var model = TrainedTipClassifier.Load(modelPath);
            classifier = model;
            Console.WriteLine($"model: {Path.GetFullPath(modelPath)} ({model.Model.Info.Trainer}, {model.Model.Info.TrainingTips} training tips)");
        }
        else
        {
            classifier = new KeywordTipClassifier();
            await Console.Error.WriteLineAsync($"warning: no model at {modelPath}; evaluating the keyword baseline");
        }
        var directory = await CommandLine.DirectoryAsync(services, ct);
        var evaluation = TipEvaluation.Run(tips, classifier, services.GetRequiredService<UrgencyDetector>(), directory.Places);
        Console.WriteLine($"data: {Path.GetFullPath(data)}");
        Console.Write(evaluation.Report());
        return 0;
    }

    /// <summary>The checkout this runs in (the folder with TipBot.sln, from the current directory up), if any.</summary>
    private static string? RepoRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "TipBot.sln"))) return dir.FullName;
        return null;
    }
}
