using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using TipBot.Dialogs.Engine;
using TipBot.Server.Conversations;

namespace TipBot.Benchmarks.Micro;

/// <summary>
/// StateSerializer: the state read and written on every turn (issue 3: ≤ 2 KB for a tip in
/// progress) and the turn's effects, stored with it until they are done. The "State B" and
/// "Effects B" columns are the UTF-8 sizes.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[Config(typeof(SizeColumns))]
public class StateSerializationBenchmarks
{
    private ConversationState _state = null!;
    private string _json = "";
    private TurnEffects _effects = null!;

    [Params("awaiting_time", "awaiting_anonymous", "awaiting_confirm", "awaiting_confirm_2000_chars")]
    public string Stage { get; set; } = "awaiting_confirm";

    [GlobalSetup]
    public void Setup()
    {
        var f = Fixture.Value;
        _state = f.StateAt(Stage);
        _json = StateSerializer.Serialize(_state);
        _effects = DialogFixture.Effects(f.Stages[Stage].Turn!);
    }

    [Benchmark]
    public string Serialize_state() => StateSerializer.Serialize(_state);

    [Benchmark]
    public ConversationState? Deserialize_state() => StateSerializer.Deserialize(_json).State;

    /// <summary>The replies (and commands) of the turn that led to this state.</summary>
    [Benchmark]
    public string Serialize_effects() => StateSerializer.Serialize(_effects);

    private static readonly Lazy<DialogFixture> Fixture = new(() => new DialogFixture());

    private sealed class SizeColumns : ManualConfig
    {
        public SizeColumns()
        {
            AddColumn(new SizeColumn("State B", stage => Fixture.Value.StateBytes(stage)));
            AddColumn(new SizeColumn("Effects B", stage => Fixture.Value.EffectsBytes(stage)));
        }
    }

    private sealed class SizeColumn(string name, Func<string, int> bytes) : IColumn
    {
        public string Id => "TipBot." + name;
        public string ColumnName => name;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => $"{name}: UTF-8 bytes of the serialized JSON";
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            bytes((string)benchmarkCase.Parameters[nameof(Stage)]).ToString(System.Globalization.CultureInfo.InvariantCulture);
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);
    }
}
