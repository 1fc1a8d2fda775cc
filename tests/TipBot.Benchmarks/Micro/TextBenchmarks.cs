using System.Text;
using BenchmarkDotNet.Attributes;
using TipBot.Core.Text;

namespace TipBot.Benchmarks.Micro;

/// <summary>Every message goes through Normalize, and Fold a few times per turn (answers, places, urgency).</summary>
[MemoryDiagnoser]
[MedianColumn]
public class TextBenchmarks
{
    private const string Tip =
        "Tối qua khoảng 10 giờ có nhóm thanh niên bán ma túy ở phường Hải Châu, gần chợ Cồn, đi xe Exciter màu đen biển 43 không rõ số";

    private static readonly Dictionary<string, string> Inputs = new()
    {
        ["ward_name"] = "Phường Hoà Khánh!",
        ["tip_nfc"] = Tip,
        // Decomposed marks, as some keyboards send them: Normalize's slow path (NFC + tone placement).
        ["tip_nfd"] = Tip.Normalize(NormalizationForm.FormD),
        ["tip_no_diacritics"] = "toi qua khoang 10 gio co nhom thanh nien ban ma tuy o phuong hai chau, gan cho con, di xe exciter mau den bien 43 ko ro so",
        ["long_2000"] = string.Concat(Enumerable.Repeat(Tip + ". ", 16))[..2000],
    };

    private string _text = "";

    [Params("ward_name", "tip_nfc", "tip_nfd", "tip_no_diacritics", "long_2000")]
    public string Input { get; set; } = "tip_nfc";

    [GlobalSetup]
    public void Setup() => _text = Inputs[Input];

    [Benchmark]
    public string Normalize() => VietnameseText.Normalize(_text);

    [Benchmark]
    public string Fold() => VietnameseText.Fold(_text);

    /// <summary>The classifier's and urgency detector's form (teencode and dialect written out).</summary>
    [Benchmark]
    public string Canonical() => ChatText.Canonical(_text);
}
