using System.IO.Compression;
using System.Text.Json;
using TipBot.Core.Classification.Features;

namespace TipBot.Core.Classification.Model;

/// <summary>Where a model came from and how it measured, kept in the model file for `evaluate` and the logs.</summary>
public sealed record TipModelInfo
{
    public string Trainer { get; init; } = "";
    public DateTimeOffset TrainedAt { get; init; }
    public int TrainingTips { get; init; }
    public IReadOnlyList<string> TrainingFiles { get; init; } = [];
    public double? CrossValidatedMacroF1 { get; init; }
    public double? CrossValidatedMacroF1WithoutDiacritics { get; init; }
}

/// <summary>
/// A linear model over hashed text features: one weight per (feature, category) and a bias per
/// category; probabilities are softmax(score / temperature). Stored as a zip of model.json
/// (categories, featuriser options, biases, temperature, provenance) and weights.bin (feature
/// hashes as uint32 and weights as float16, little-endian), so the service loads it in
/// milliseconds without ML.NET and never trains at start-up.
/// </summary>
public sealed class TipModel
{
    public const string FileName = "tips-model.zip";
    private const int FormatVersion = 1;

    public required IReadOnlyList<string> Categories { get; init; }
    public required TipFeatureOptions Features { get; init; }
    public required uint[] FeatureHashes { get; init; }

    /// <summary>
    /// Row-major: the weights of feature f are [f × categories, (f + 1) × categories). Half
    /// precision, as the file stores them: what a trained model is evaluated with is what ships,
    /// and the served model holds 3 MB instead of 6.
    /// </summary>
    public required Half[] Weights { get; init; }
    public required float[] Biases { get; init; }
    public float Temperature { get; init; } = 1f;

    /// <summary>For a two-label model (urgency): the probability of the second label from which it is said.</summary>
    public float? DecisionThreshold { get; init; }

    public TipModelInfo Info { get; init; } = new();

    /// <summary>The model file shipped next to the service's binaries.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "Classification", "Model", FileName);

    public void Save(string path)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        using (var file = File.Create(temporary)) Save(file);
        File.Move(temporary, path, overwrite: true);
    }

    public void Save(Stream stream)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        var header = new Header(FormatVersion, Categories, Features, FeatureHashes.Length, Biases, Temperature, Info, DecisionThreshold);
        using (var json = zip.CreateEntry("model.json", CompressionLevel.Optimal).Open())
            JsonSerializer.Serialize(json, header, JsonOptions);
        using var bin = new BinaryWriter(zip.CreateEntry("weights.bin", CompressionLevel.Optimal).Open());
        foreach (var hash in FeatureHashes) bin.Write(hash);
        foreach (var weight in Weights) bin.Write(weight);
    }

    public static TipModel Load(string path)
    {
        using var file = File.OpenRead(path);
        return Load(file);
    }

    public static TipModel Load(Stream stream)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        Header header;
        using (var json = Entry(zip, "model.json").Open())
            header = JsonSerializer.Deserialize<Header>(json, JsonOptions) ?? throw new InvalidDataException("model.json is empty");
        if (header.Version != FormatVersion) throw new InvalidDataException($"model format {header.Version}, expected {FormatVersion}");
        var categories = header.Categories.Count;
        if (categories < 2 || header.Biases.Length != categories) throw new InvalidDataException("model categories and biases disagree");

        var hashes = new uint[header.FeatureCount];
        var weights = new Half[header.FeatureCount * categories];
        using (var bin = new BinaryReader(new BufferedStream(Entry(zip, "weights.bin").Open(), 1 << 16)))
        {
            for (var i = 0; i < hashes.Length; i++) hashes[i] = bin.ReadUInt32();
            for (var i = 0; i < weights.Length; i++) weights[i] = bin.ReadHalf();
        }
        return new TipModel
        {
            Categories = header.Categories,
            Features = header.Features,
            FeatureHashes = hashes,
            Weights = weights,
            Biases = header.Biases,
            Temperature = header.Temperature,
            DecisionThreshold = header.DecisionThreshold,
            Info = header.Info,
        };
    }

    private static ZipArchiveEntry Entry(ZipArchive zip, string name) =>
        zip.GetEntry(name) ?? throw new InvalidDataException($"model file has no {name}");

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private sealed record Header(
        int Version,
        IReadOnlyList<string> Categories,
        TipFeatureOptions Features,
        int FeatureCount,
        float[] Biases,
        float Temperature,
        TipModelInfo Info,
        float? DecisionThreshold = null);
}
