using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using TipBot.Server.Hosting;
using TipBot.Server.Notices;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Notices;

/// <summary>
/// A broadcast survives its worker: a dead worker's leased rows are taken over once the lease runs
/// out, a live worker's are left alone, and a restarted server resumes a notice left sending.
/// </summary>
[Collection("integration")]
public abstract class BroadcastResumeTests(StoreMode mode) : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(3);
    private TipBotApp _app = null!;
    private long _nextChat = 8_100_000_000L + Random.Shared.Next(0, 1_000_000) * 1000L;

    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(mode, b =>
    {
        b.UseSetting("Broadcast:Telegram:MessagesPerSecond", "1000");
        b.UseSetting("Broadcast:ClaimLease", Lease.ToString());
    });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A notice already planned and sending, as a killed process leaves it; <paramref name="claimOf"/> gives each row's claim.</summary>
    private async Task<(Guid Id, string Text, List<long> Chats)> SendingNoticeAsync(int recipients, Func<int, (Guid? Token, DateTime? At)> claimOf)
    {
        var id = Guid.NewGuid();
        var text = $"Thông báo {id:N}";
        var chats = Enumerable.Range(0, recipients).Select(_ => Interlocked.Increment(ref _nextChat)).ToList();
        var personal = _app.Services.GetRequiredService<PersonalData>();
        var now = DateTime.UtcNow;
        await _app.WithDbAsync(async db =>
        {
            db.Notices.Add(new NoticeRecord { Id = id, Text = text, Channels = "telegram", Status = NoticeStatus.Sending, CreatedAt = now, PlannedAt = now });
            db.NoticeDeliveries.AddRange(chats.Select((chat, i) => new NoticeDeliveryRecord
            {
                NoticeId = id, Channel = "telegram", ChatId = personal.Protect(chat.ToString()), ChatKey = personal.ChatKey("telegram", chat.ToString()),
                Status = DeliveryStatus.Pending, Culture = "vi", ClaimToken = claimOf(i).Token, ClaimedAt = claimOf(i).At, Attempts = claimOf(i).Token is null ? 0 : 1,
            }));
            return await db.SaveChangesAsync();
        });
        return (id, text, chats);
    }

    private async Task SendAsync(Guid id)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BroadcastJob>().SendAsync(id, "telegram", CancellationToken.None);
    }

    private Task<string> StatusAsync(Guid id) => _app.WithDbAsync(db => db.Notices.Where(n => n.Id == id).Select(n => n.Status).SingleAsync());

    private void AssertEachGotItOnce(string text, IEnumerable<long> chats)
    {
        var copies = _app.Telegram.Sent.Where(m => m.Text == text).GroupBy(m => m.ChatId).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(chats, chat => Assert.Equal(1, copies.GetValueOrDefault(chat)));
    }

    [Fact]
    public async Task Rows_leased_by_a_dead_worker_are_taken_over_and_each_resident_gets_the_notice_once()
    {
        var dead = Guid.NewGuid();
        var longAgo = DateTime.UtcNow.AddHours(-1);
        var (id, text, chats) = await SendingNoticeAsync(200, i => i < 100 ? (dead, longAgo) : (null, null));

        await SendAsync(id);

        Assert.Equal(NoticeStatus.Done, await StatusAsync(id));
        AssertEachGotItOnce(text, chats);
        Assert.Equal(200, await _app.WithDbAsync(db => db.NoticeDeliveries.CountAsync(d => d.NoticeId == id && d.Status == DeliveryStatus.Sent)));
    }

    [Fact]
    public async Task Rows_whose_lease_is_being_renewed_are_not_taken_from_their_live_worker()
    {
        var live = Guid.NewGuid();
        var (id, text, chats) = await SendingNoticeAsync(200, i => i < 50 ? (live, DateTime.UtcNow) : (null, null));

        // The live worker's heartbeat, until the second worker has given up on its rows.
        var second = SendAsync(id);
        while (!second.IsCompleted)
        {
            await _app.WithDbAsync(db => db.NoticeDeliveries.Where(d => d.ClaimToken == live)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimedAt, DateTime.UtcNow)));
            await Task.WhenAny(second, Task.Delay(Lease / 5));
        }
        await second;

        AssertEachGotItOnce(text, chats.Skip(50));
        Assert.DoesNotContain(_app.Telegram.Sent, m => m.Text == text && chats.Take(50).Contains(m.ChatId));
        Assert.Equal(50, await _app.WithDbAsync(db => db.NoticeDeliveries.CountAsync(d => d.NoticeId == id && d.Status == DeliveryStatus.Pending && d.ClaimToken == live)));
        Assert.Equal(NoticeStatus.Sending, await StatusAsync(id));
    }

    [Fact]
    public async Task Start_up_resumes_a_notice_left_sending_by_a_killed_process()
    {
        // Planned a moment ago (inside the sweep's grace), part of it leased by the dead process.
        var dead = Guid.NewGuid();
        var (id, text, chats) = await SendingNoticeAsync(200, i => i < 60 ? (dead, DateTime.UtcNow.AddSeconds(-1)) : (null, null));

        await _app.Services.GetServices<IHostedService>().OfType<StartupTasks>().Single().StartAsync(CancellationToken.None);

        await Eventually.Get(() => StatusAsync(id), s => s == NoticeStatus.Done, "notice resumed and delivered", seconds: 30);
        AssertEachGotItOnce(text, chats);
    }
}

public sealed class BroadcastResumeOnEmbeddedStores() : BroadcastResumeTests(StoreMode.Embedded);

public sealed class BroadcastResumeOnRedisAndPostgres() : BroadcastResumeTests(StoreMode.Production);

public sealed class BroadcastPaceTests
{
    [Fact]
    public void No_sliding_second_holds_more_than_the_rate_and_an_idle_pause_is_not_saved_up()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        var pace = new Pace(100, clock);
        var slots = new List<TimeSpan>();
        var start = clock.GetTimestamp();
        void Burst(int n)
        {
            for (var i = 0; i < n; i++) slots.Add(clock.GetElapsedTime(start) + pace.Reserve());
        }

        Burst(300);                                   // 3 s of work asked for at once
        clock.Advance(TimeSpan.FromMilliseconds(1500));
        Burst(50);                                    // more while the first is still queued
        clock.Advance(TimeSpan.FromSeconds(10));      // idle: nothing to send
        Burst(250);
        for (var i = 0; i < 200; i++) { clock.Advance(TimeSpan.FromMilliseconds(3)); Burst(1); } // callers arriving faster than the pace

        var sorted = slots.Order().ToList();
        var busiest = sorted.Select((s, i) => sorted.Skip(i).TakeWhile(t => t - s < TimeSpan.FromSeconds(1)).Count()).Max();
        Assert.InRange(busiest, 100, 101);
        Assert.All(sorted.Zip(sorted.Skip(1)), p => Assert.True(p.Second - p.First >= TimeSpan.FromMilliseconds(9.99)));
    }

    [Fact]
    public void A_429_holds_every_sender_of_the_channel_for_the_time_the_platform_asked()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        var pace = new Pace(1000, clock);
        Assert.Equal(TimeSpan.Zero, pace.Reserve());

        pace.PauseFor(TimeSpan.FromSeconds(1));

        Assert.True(pace.Reserve() >= TimeSpan.FromSeconds(1), "the next slot waits out the pause");
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.Zero, pace.Reserve()); // and the pause is not saved up either
    }
}
