using TipBot.Server.Conversations;

namespace TipBot.Benchmarks.Micro;

/// <summary>`sizes [keyword|trained]`: the bytes each stage of a tip conversation stores (issue 3: state ≤ 2 KB for a tip in progress).</summary>
public static class Sizes
{
    public static int Print(string classifier = "keyword")
    {
        var f = new DialogFixture(classifier);
        Console.WriteLine($"classifier: {classifier}");
        Console.WriteLine("| stage | state JSON (B) | effects of the turn that led there (B) |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var stage in f.Stages.Keys.Where(s => s != "new"))
            Console.WriteLine($"| {stage} | {f.StateBytes(stage)} | {f.EffectsBytes(stage)} |");
        Console.WriteLine();
        Console.WriteLine("State awaiting_confirm:");
        Console.WriteLine(System.Text.Encoding.UTF8.GetString(StateSerializer.Serialize(f.StateAt("awaiting_confirm"))));
        return 0;
    }
}
