using System.Reflection;

namespace TipBot.Core.Classification;

/// <summary>A crime category as the classifier emits it (codes from categories.csv).</summary>
public sealed record Category(string Code, string NameVi, string NameEn, string ExamplesVi)
{
    public const string Other = "other";

    public string Name(string culture) => culture == "en" ? NameEn : NameVi;
}

public static class Categories
{
    public static IReadOnlyList<Category> All { get; } = Load();

    private static readonly Dictionary<string, Category> ByCode = All.ToDictionary(c => c.Code);

    public static Category Get(string? code) =>
        code is not null && ByCode.TryGetValue(code, out var c) ? c : ByCode[Category.Other];

    public static bool Exists(string? code) => code is not null && ByCode.ContainsKey(code);

    private static List<Category> Load()
    {
        using var stream = typeof(Categories).Assembly.GetManifestResourceStream("TipBot.Core.categories.csv")
            ?? throw new InvalidOperationException("categories.csv is not embedded");
        using var reader = new StreamReader(stream);
        return Csv.Read(reader).Skip(1)
            .Select(f => new Category(f[0], f[1], f[2], f[3]))
            .ToList();
    }
}
