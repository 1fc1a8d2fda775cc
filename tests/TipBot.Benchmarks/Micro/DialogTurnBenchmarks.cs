using BenchmarkDotNet.Attributes;
using TipBot.Dialogs.Engine;

namespace TipBot.Benchmarks.Micro;

/// <summary>
/// One dialog turn without I/O (issue 3's figure: median ≤ 100 µs, ≤ 50 KB allocated), from each
/// state of a tip conversation. Every invocation starts from a fresh copy of the stored state;
/// CloneOnly is that copy alone, included in every other figure.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class DialogTurnBenchmarks
{
    private DialogFixture _f = null!;
    private ConversationState _awaitingTime = null!, _awaitingAnonymous = null!, _awaitingConfirm = null!, _awaitingPlace = null!;

    [ParamsSource(nameof(Classifiers))]
    public string Classifier { get; set; } = "keyword";

    public static IEnumerable<string> Classifiers => BenchData.ClassifierNames();

    [GlobalSetup]
    public void Setup()
    {
        _f = new DialogFixture(Classifier);
        _awaitingTime = _f.StateAt("awaiting_time");
        _awaitingAnonymous = _f.StateAt("awaiting_anonymous");
        _awaitingConfirm = _f.StateAt("awaiting_confirm");
        _awaitingPlace = _f.StateAt("awaiting_place");
    }

    [Benchmark]
    public ConversationState CloneOnly() => DialogFixture.Clone(_awaitingAnonymous);

    /// <summary>New resident, free-text tip: greet, normalise, classify, find the ward, ask the time.</summary>
    [Benchmark]
    public Task<TurnResult> FirstMessage_new_resident() => _f.Engine.RunTurnAsync(null, _f.FirstMessage, _f.Services);

    /// <summary>Mid-conversation: the time button, then the anonymity question.</summary>
    [Benchmark]
    public Task<TurnResult> Time_button() => _f.Engine.RunTurnAsync(DialogFixture.Clone(_awaitingTime), _f.TimeButton, _f.Services);

    /// <summary>Mid-conversation: anonymity, then the summary with Gửi / Sửa / Hủy.</summary>
    [Benchmark]
    public Task<TurnResult> Anonymous_button_summary() => _f.Engine.RunTurnAsync(DialogFixture.Clone(_awaitingAnonymous), _f.AnonymousButton, _f.Services);

    /// <summary>Gửi: the SubmitTip command and the tip code.</summary>
    [Benchmark]
    public Task<TurnResult> Confirm_send() => _f.Engine.RunTurnAsync(DialogFixture.Clone(_awaitingConfirm), _f.SendButton, _f.Services);

    /// <summary>A typed place without diacritics ("hai chau"): resolver, then candidates as buttons.</summary>
    [Benchmark]
    public Task<TurnResult> Place_typed() => _f.Engine.RunTurnAsync(DialogFixture.Clone(_awaitingPlace), _f.PlaceTyped, _f.Services);
}
