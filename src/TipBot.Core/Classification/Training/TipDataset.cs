using TipBot.Core.Text;

namespace TipBot.Core.Classification.Training;

/// <summary>One labelled tip (training/README.md): its text, category, whether it is urgent, and the units it names.</summary>
public sealed record LabelledTip(string Text, string Category, bool Urgent, IReadOnlyList<string> PlaceCodes)
{
    public bool HasDiacritics { get; } = VietnameseText.HasDiacritics(VietnameseText.Normalize(Text));
}

/// <summary>Reads the labelled CSV files: header <c>text,category,urgent,place_codes</c>.</summary>
public static class TipDataset
{
    public const string Header = "text,category,urgent,place_codes";

    /// <summary>The training files: every training/tips-train-*.csv, never the held-out split.</summary>
    public static IReadOnlyList<string> TrainingFiles(string folder) =>
        System.IO.Directory.GetFiles(folder, "tips-train-*.csv").Order(StringComparer.Ordinal).ToList();

    public static List<LabelledTip> Read(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    public static List<LabelledTip> Read(TextReader reader, string source = "data")
    {
        var tips = new List<LabelledTip>();
        var line = 0;
        foreach (var fields in Csv.Read(reader))
        {
            line++;
            if (line == 1)
            {
                if (string.Join(',', fields).Trim().TrimStart('\uFEFF') != Header)
                    throw new InvalidDataException($"{source}: the header must be '{Header}'");
                continue;
            }
            if (fields.Length == 1 && fields[0].Length == 0) continue; // blank line
            if (fields.Length != 4) throw new InvalidDataException($"{source}: row {line} has {fields.Length} fields, expected 4");
            var category = fields[1].Trim();
            if (!Categories.Exists(category)) throw new InvalidDataException($"{source}: row {line} has unknown category '{category}'");
            var urgent = fields[2].Trim() switch
            {
                "1" or "true" => true,
                "0" or "false" or "" => false,
                var other => throw new InvalidDataException($"{source}: row {line} has urgent '{other}', expected 0 or 1"),
            };
            var places = fields[3].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            tips.Add(new LabelledTip(fields[0], category, urgent, places));
        }
        return tips;
    }
}
