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
/// progress) and the turn's effects, stored with it until they are done; then the encryption at
/// rest the Redis store applies to both (ConversationPayloadProtector, ASP.NET Core Data
/// Protection, keys as the server makes them). "State B" and "Effects B" are the JSON's UTF-8 sizes, "Stored B" the protected state as Redis keeps it.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[Config(typeof(SizeColumns))]
public class StateSerializationBenchmarks
{
    private ConversationState _state = null!;
    private byte[] _json = [];
    private TurnEffects _effects = null!;
    private byte[] _protected = [];
    private static readonly ConversationPayloadProtector Protector = new(BenchKeyRing.Provider());

    [Params("awaiting_time", "awaiting_anonymous", "awaiting_confirm", "awaiting_confirm_2000_chars")]
    public string Stage { get; set; } = "awaiting_confirm";

    [GlobalSetup]
    public void Setup()
    {
        var f = Fixture.Value;
        _state = f.StateAt(Stage);
        _json = StateSerializer.Serialize(_state);
        _effects = DialogFixture.Effects(f.Stages[Stage].Turn!);
        _protected = Protector.Protect(_json);
    }

    [Benchmark]
    public byte[] Serialize_state() => StateSerializer.Serialize(_state);

    [Benchmark]
    public ConversationState? Deserialize_state() => StateSerializer.Deserialize(_json).State;

    /// <summary>The replies (and commands) of the turn that led to this state.</summary>
    [Benchmark]
    public byte[] Serialize_effects() => StateSerializer.Serialize(_effects);

    /// <summary>What the Redis store writes per turn: serialize, then protect.</summary>
    [Benchmark]
    public byte[] Serialize_and_protect_state() => Protector.Protect(StateSerializer.Serialize(_state));

    /// <summary>What the Redis store reads per turn: unprotect, then deserialize.</summary>
    [Benchmark]
    public ConversationState? Unprotect_and_deserialize_state() => StateSerializer.Deserialize(Protector.TryUnprotect(_protected)).State;

    private static readonly Lazy<DialogFixture> Fixture = new(() => new DialogFixture());

    private sealed class SizeColumns : ManualConfig
    {
        public SizeColumns()
        {
            AddColumn(new SizeColumn("State B", stage => Fixture.Value.StateBytes(stage)));
            AddColumn(new SizeColumn("Effects B", stage => Fixture.Value.EffectsBytes(stage)));
            AddColumn(new SizeColumn("Stored B", stage => Protector.Protect(StateSerializer.Serialize(Fixture.Value.StateAt(stage))).Length));
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
