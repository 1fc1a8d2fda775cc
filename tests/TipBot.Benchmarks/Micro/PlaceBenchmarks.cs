using BenchmarkDotNet.Attributes;
using TipBot.Core.Directory;
using TipBot.Core.Places;

namespace TipBot.Benchmarks.Micro;

/// <summary>UnitResolver over the real sample directory (94 units of Đà Nẵng with their old names).</summary>
[MemoryDiagnoser]
[MedianColumn]
public class PlaceBenchmarks
{
    private const int Tips = 200;
    private IReadOnlyList<Unit> _units = [];
    private IReadOnlyList<Officer> _officers = [];
    private UnitResolver _resolver = null!;
    private string[] _tips = [];

    [GlobalSetup]
    public void Setup()
    {
        _units = BenchData.SampleUnits();
        _officers = BenchData.SampleOfficers();
        _resolver = new UnitDirectory(_units, _officers).Places;
        _tips = BenchData.HeldOutTips(Tips).ToArray();
    }

    [Benchmark]
    public PlaceMatch Resolve_full_name() => _resolver.Resolve("Phường Hải Châu");

    /// <summary>Typed without diacritics: an old district that now spans several units (ambiguous).</summary>
    [Benchmark]
    public PlaceMatch Resolve_folded_ambiguous() => _resolver.Resolve("hai chau");

    [Benchmark]
    public PlaceMatch Resolve_old_name() => _resolver.Resolve("P. Hòa Khánh Bắc");

    [Benchmark]
    public PlaceMatch Resolve_miss() => _resolver.Resolve("gần cái chợ nhỏ");

    [Benchmark]
    public PlaceMatch FindInText_tip() =>
        _resolver.FindInText("Tối qua có nhóm thanh niên bán ma túy ở phường Hải Châu, gần chợ Cồn, đi xe Exciter màu đen");

    /// <summary>Per tip over 200 real held-out tips (most name a place, some do not).</summary>
    [Benchmark(OperationsPerInvoke = Tips)]
    public int FindInText_heldout()
    {
        var found = 0;
        foreach (var tip in _tips) found += _resolver.FindInText(tip).Candidates.Count;
        return found;
    }

    /// <summary>The directory snapshot (and its resolver index) is rebuilt on every DirectoryCache reload (30 s).</summary>
    [Benchmark]
    public UnitDirectory Build_directory() => new(_units, _officers);
}
