using BenchmarkDotNet.Attributes;
using TipBot.Channels;
using TipBot.Core.Messaging;

namespace TipBot.Benchmarks.Micro;

/// <summary>
/// ChannelDispatcher's own cost per send (deadline, retries, the channel's breaker) around a
/// sender that answers asynchronously at once, as an HTTP call's completion does: what every
/// reply, alert and copy pays on top of the call. Sender_alone is that sender without the
/// dispatcher (the baseline).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class DispatcherBenchmarks
{
    private static readonly AnswersAtOnce Sender = new();
    private readonly ChannelDispatcher _dispatcher = new([Sender], TimeProvider.System);
    private readonly ChatAddress _to = new("telegram", "42");
    private readonly Reply _reply = new("Cảm ơn anh/chị. Mã tin báo: TB-7K2M9Q");

    [Benchmark(Baseline = true)]
    public Task Sender_alone() => Sender.SendAsync(_to.ChatId, _reply, CancellationToken.None);

    [Benchmark]
    public Task Send_with_retries() => _dispatcher.SendAsync(_to, _reply, CancellationToken.None);

    [Benchmark]
    public Task Send_once() => _dispatcher.SendOnceAsync(_to, _reply, CancellationToken.None);

    private sealed class AnswersAtOnce : IChannelSender
    {
        public string Channel => "telegram";

        public async Task SendAsync(string chatId, Reply reply, CancellationToken ct) => await Task.Yield();
    }
}
