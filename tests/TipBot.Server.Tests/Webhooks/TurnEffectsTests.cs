using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TipBot.Core.Messaging;
using TipBot.Server.Conversations;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Webhooks;

/// <summary>
/// A turn's replies after its commit, when the platform or the store misbehaves: a reply is never
/// cut off half-way nor started when it could not be recorded, so a redelivery never repeats it.
/// </summary>
[Collection("integration")]
public abstract class TurnEffectsTests(StoreMode mode) : IAsyncLifetime
{
    private TipBotApp? _app;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    private async Task<TipBotApp> StartAsync(Action<IWebHostBuilder> configure)
    {
        _app = await TipBotApp.StartAsync(mode, configure);
        return _app;
    }

    /// <summary>What /start answers when nothing goes wrong: the replies every other resident must get exactly once.</summary>
    private static async Task<List<string>> RepliesToStartAsync(TipBotApp app)
    {
        var control = ResidentScript.NewResident();
        await app.SendAsync(TelegramUpdates.Text(control, "/start"));
        var replies = app.Telegram.SentTo(control).Select(m => m.Text).ToList();
        Assert.True(replies.Count >= 2, "/start should answer in more than one message for these tests to mean anything");
        return replies;
    }

    [Fact]
    public async Task A_reply_the_platform_confirms_after_the_effects_deadline_is_not_cut_off_and_not_sent_again()
    {
        var app = await StartAsync(b => b.UseSetting("Conversations:EffectsDeadline", "00:00:00.300"));
        var expected = await RepliesToStartAsync(app);
        var resident = ResidentScript.NewResident();
        app.Telegram.AnswerLate(resident, TimeSpan.FromSeconds(1.5));
        var start = TelegramUpdates.Text(resident, "/start");

        // The first reply runs past the deadline and is let finish; the rest wait for the redelivery.
        using (var first = await app.PostUpdateAsync(start)) Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Single(app.Telegram.SentTo(resident));
        await app.SendAsync(start);
        await app.SendAsync(start);

        Assert.Equal(expected, app.Telegram.SentTo(resident).Select(m => m.Text));
    }

    [Fact]
    public async Task A_reply_still_being_sent_is_not_taken_over_when_its_lease_would_have_run_out()
    {
        var lease = TimeSpan.FromSeconds(1);
        var app = await StartAsync(b => b.UseSetting("Conversations:EffectsLease", "00:00:01"));
        var expected = await RepliesToStartAsync(app);
        var resident = ResidentScript.NewResident();
        app.Telegram.AnswerLate(resident, 3 * lease);
        var start = TelegramUpdates.Text(resident, "/start");

        var first = app.PostUpdateAsync(start);
        await Eventually.Get(() => app.Telegram.SentTo(resident).Count, n => n == 1, "the reply taken by the platform");
        // What is tested is the passing of time: a lease taken once would have expired by now.
        await Task.Delay(1.5 * lease);
        await app.SendAsync(start); // the redelivery finds the effects still leased
        using (var response = await first) Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        Assert.Equal(expected, app.Telegram.SentTo(resident).Select(m => m.Text));
    }

    [Fact]
    public async Task The_sweep_finishes_the_other_pending_turns_when_one_runs_past_its_deadline()
    {
        var app = await StartAsync(b => b.UseSetting("Conversations:EffectsDeadline", "00:00:00.300"));
        var store = app.Services.GetRequiredService<IConversationStore>();
        long slow = ResidentScript.NewResident(), other = ResidentScript.NewResident();
        // Two turns committed by a process that died before sending their replies, the slow one first.
        foreach (var (chat, replies) in new[] { (slow, new[] { "một", "hai" }), (other, new[] { "ba" }) })
        {
            var delivery = $"sweep-test:{chat}";
            var effects = new TurnEffects(new ChatAddress("telegram", chat.ToString(System.Globalization.CultureInfo.InvariantCulture)), replies.Select(r => new Reply(r)).ToList(), []);
            Assert.Equal(CommitOutcome.Committed, await store.TryCommitAsync($"sweep-test-conv:{chat}", 0, new TipBot.Dialogs.Engine.ConversationState { Culture = "vi" }, delivery, effects));
            await store.ReleaseLeaseAsync(delivery);
        }
        app.Telegram.AnswerLate(slow, TimeSpan.FromSeconds(1));

        await app.Services.GetRequiredService<PendingTurnSweep>().RunAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(["ba"], app.Telegram.SentTo(other).Select(m => m.Text));
        Assert.Equal(["một"], app.Telegram.SentTo(slow).Select(m => m.Text)); // the second waits for the next sweep
    }

    [Fact]
    public async Task A_reply_a_dead_finisher_handed_to_the_outbox_is_left_to_the_outbox_by_the_next_finisher()
    {
        var app = await StartAsync(_ => { });
        var store = app.Services.GetRequiredService<IConversationStore>();
        var chat = ResidentScript.NewResident();
        var to = new ChatAddress("telegram", chat.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var delivery = $"outbox-test:{chat}";
        var effects = new TurnEffects(to, [new Reply("một"), new Reply("hai")], []);
        Assert.Equal(CommitOutcome.Committed, await store.TryCommitAsync($"outbox-test-conv:{chat}", 0, new TipBot.Dialogs.Engine.ConversationState { Culture = "vi" }, delivery, effects));
        // The finisher got a 429 for the first reply, handed it to the outbox, and died (or lost
        // Redis) before recording that: the turn still says nothing was sent.
        await app.Services.GetRequiredService<TipBot.Server.Outbox.OutboxWriter>().AddAndEnqueueAsync($"reply:{delivery}:0", to, effects.Replies[0], CancellationToken.None);
        await store.ReleaseLeaseAsync(delivery);

        await app.Services.GetRequiredService<PendingTurnSweep>().RunAsync(TimeSpan.Zero, CancellationToken.None);
        await Eventually.Get(() => app.WithDbAsync(db => db.Outbox.AsNoTracking().CountAsync(o => o.Key == $"reply:{delivery}:0" && o.SentAt != null)),
            n => n == 1, "the outbox's send of the first reply");

        Assert.Equal(["hai", "một"], app.Telegram.SentTo(chat).Select(m => m.Text).Order());
        Assert.Null(await store.TryLeaseAsync(delivery)); // the turn is complete
    }

    [Fact]
    public async Task No_reply_is_sent_while_the_store_cannot_record_it_and_the_redelivery_sends_it_once()
    {
        var app = await StartAsync(b => b.ConfigureTestServices(UnreachableSwitch.Install));
        var store = UnreachableSwitch.Of(app.Services);
        var resident = ResidentScript.NewResident();
        await app.SendAsync(TelegramUpdates.Text(resident, "Có người trộm xe máy ở phường Hải Vân"));
        var before = app.Telegram.SentTo(resident).Count;
        var when = TelegramUpdates.Button(resident, "time:today");

        store.Unreachable = true;
        using (var response = await app.PostUpdateAsync(when))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode); // not the in-band 200 a button press gets
        Assert.Equal(before, app.Telegram.SentTo(resident).Count);

        store.Unreachable = false;
        await app.SendAsync(when);
        await app.SendAsync(when);

        var after = app.Telegram.SentTo(resident).Skip(before).ToList();
        var reply = Assert.Single(after);
        Assert.Contains(reply.Buttons, b => b.Data == "anon:yes"); // the turn went on to the next question
    }

    [Fact]
    public async Task A_database_that_drops_the_tips_submission_gets_503_not_500_and_the_redelivery_records_the_tip_once()
    {
        var restart = new DatabaseDrop("SubmissionId");
        var logs = new CapturedLogs();
        var app = await StartAsync(b =>
        {
            b.ConfigureLogging(l => l.AddProvider(logs));
            b.ConfigureTestServices(services => restart.Install(services, mode));
        });
        var resident = ResidentScript.NewResident();
        await app.SendAsync(TelegramUpdates.Text(resident, "Tối qua có nhóm thanh niên bán ma túy ở phường Hải Châu, gần chợ"));
        await app.SendAsync(TelegramUpdates.Button(resident, "time:yesterday"));
        await app.SendAsync(TelegramUpdates.Button(resident, "anon:yes"));
        var confirm = TelegramUpdates.Button(resident, "confirm:send");

        using (var response = await app.PostUpdateAsync(confirm))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode); // "deliver it again", not an application error
        Assert.Equal(1, restart.Dropped);
        Assert.DoesNotContain(logs.Lines, l => l.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase));
        await app.SendAsync(confirm);
        await app.SendAsync(confirm);

        var code = Assert.Single(app.Telegram.SentTo(resident).Select(m => ResidentScript.TipCodePattern().Match(m.Text)), m => m.Success).Value;
        Assert.Equal(1, await app.WithDbAsync(db => db.Tips.CountAsync(t => t.Code == code)));
    }

    [Fact]
    public async Task A_reply_handed_to_the_outbox_while_the_job_queue_is_away_gets_503_not_500_and_goes_out_once()
    {
        RefusingJobClient? jobs = null;
        var logs = new CapturedLogs();
        var app = await StartAsync(b =>
        {
            b.UseSetting("Jobs:SweepGrace", "00:00:00");
            b.ConfigureLogging(l => l.AddProvider(logs));
            b.ConfigureTestServices(services => RefusingJobClient.Install(services, refusals: 1, c => jobs = c, onlyOf: typeof(TipBot.Server.Outbox.SendOutboundJob)));
        });
        var expected = await RepliesToStartAsync(app);
        var resident = ResidentScript.NewResident();
        app.Telegram.FailNext(resident, count: 3); // the first reply fails all three attempts: the outbox takes it
        var start = TelegramUpdates.Text(resident, "/start");

        using (var response = await app.PostUpdateAsync(start))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode); // Redis away for the queue: "deliver it again"
        Assert.Equal(1, jobs!.Refused);
        Assert.DoesNotContain(logs.Lines, l => l.Contains("unhandled exception", StringComparison.OrdinalIgnoreCase));
        await app.SendAsync(start); // the redelivery leaves the first reply to the outbox and sends the rest
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<TipBot.Server.Jobs.SweepJob>().RunAsync(CancellationToken.None); // enqueues the row nobody could

        await Eventually.Get(() => app.Telegram.SentTo(resident).Count(m => m.Text == expected[0]), n => n == 1, "the first reply, sent by the outbox");
        Assert.Equal(expected.Order(), app.Telegram.SentTo(resident).Select(m => m.Text).Order());
    }
}

public sealed class TurnEffectsOnEmbeddedStores() : TurnEffectsTests(StoreMode.Embedded);

public sealed class TurnEffectsOnRedisAndPostgres() : TurnEffectsTests(StoreMode.Production);
