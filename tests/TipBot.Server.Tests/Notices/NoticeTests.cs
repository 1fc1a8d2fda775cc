using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Server.Notices;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Notices;

/// <summary>Residents subscribe in chat; admins broadcast through the admin API; nobody gets a notice twice.</summary>
[Collection("integration")]
public abstract class NoticeTests(StoreMode mode) : IAsyncLifetime
{
    private const string AdminKey = "admin-key-for-tests";
    private TipBotApp _app = null!;

    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(mode, b =>
    {
        b.UseSetting("Admin:ApiKeys:0", AdminKey);
        b.UseSetting("Broadcast:Telegram:MessagesPerSecond", "1000");
    });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private HttpClient Admin(string? key = AdminKey)
    {
        var client = _app.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private async Task<string> PostNoticeAsync(object body)
    {
        using var response = await Admin().PostAsJsonAsync("/api/admin/notices", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<NoticeCreated>())!.Id;
    }

    private Task<NoticeProgress> DoneAsync(string id) => Eventually.Get(
        async () => (await Admin().GetFromJsonAsync<NoticeProgress>($"/api/admin/notices/{id}"))!, p => p.Status == "done", "notice delivered", seconds: 30);

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task Admin_routes_refuse_a_missing_or_wrong_key(string? key)
    {
        using var post = await Admin(key).PostAsJsonAsync("/api/admin/notices", new { text = "Cảnh báo" });
        using var get = await Admin(key).GetAsync($"/api/admin/notices/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.Equal(0, await _app.WithDbAsync(db => db.Notices.CountAsync()));
    }

    [Theory]
    [InlineData("{\"text\":\"\"}")]
    [InlineData("{\"text\":\"Cảnh báo\",\"unitCodes\":[\"99999\"]}")]
    [InlineData("{\"text\":\"Cảnh báo\",\"channels\":[\"fax\"]}")]
    [InlineData("{\"text\":")]
    public async Task A_malformed_notice_is_answered_400(string body)
    {
        using var response = await Admin().PostAsync("/api/admin/notices", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Residents_who_subscribed_to_a_unit_get_its_notice_once_and_those_who_stopped_do_not()
    {
        long haiChau1 = ResidentScript.NewResident(), haiChau2 = ResidentScript.NewResident(), hoaCuong = ResidentScript.NewResident(), stopped = ResidentScript.NewResident();
        await _app.SendAsync(TelegramUpdates.Text(haiChau1, "/dangky phường Hải Châu"));
        await _app.SendAsync(TelegramUpdates.Text(haiChau2, "/subscribe p. hai chau"));
        await _app.SendAsync(TelegramUpdates.Text(haiChau2, "/dangky Hải Châu")); // ambiguous: asked as buttons
        await _app.SendAsync(TelegramUpdates.Button(haiChau2, "sub:20242"));       // the same unit again
        await _app.SendAsync(TelegramUpdates.Text(hoaCuong, "/dangky Hoà Cường"));
        await _app.SendAsync(TelegramUpdates.Text(stopped, "/dangky phường Hải Châu"));
        await _app.SendAsync(TelegramUpdates.Text(stopped, "/stop"));
        Assert.Contains("Phường Hải Châu", _app.Telegram.SentTo(haiChau1).Last().Text);

        const string text = "⚠️ Cảnh báo: thủ đoạn giả danh công an gọi điện yêu cầu chuyển tiền. Không chuyển tiền cho người lạ.";
        var progress = await DoneAsync(await PostNoticeAsync(new { text, unitCodes = new[] { "20242" }, channels = (string[]?)null }));

        Assert.Equal((2, 2, 0, 0), (progress.Total, progress.Sent, progress.Failed, progress.Skipped));
        Assert.Single(_app.Telegram.SentTo(haiChau1), m => m.Text == text);
        Assert.Single(_app.Telegram.SentTo(haiChau2), m => m.Text == text);
        Assert.DoesNotContain(_app.Telegram.SentTo(hoaCuong), m => m.Text == text);
        Assert.DoesNotContain(_app.Telegram.SentTo(stopped), m => m.Text == text);
    }

    [Fact]
    public async Task A_resident_who_blocked_the_bot_is_counted_failed_and_marked_inactive()
    {
        long blocked = ResidentScript.NewResident(), reachable = ResidentScript.NewResident();
        await _app.SendAsync(TelegramUpdates.Text(blocked, "/dangky phường Hải Vân"));
        await _app.SendAsync(TelegramUpdates.Text(reachable, "/dangky phường Hải Vân"));
        _app.Telegram.FailNext(blocked, count: 100, status: 403);

        var progress = await DoneAsync(await PostNoticeAsync(new { text = "Thông báo thử", unitCodes = new[] { "20194" } }));

        Assert.Equal((2, 1, 1), (progress.Total, progress.Sent, progress.Failed));
        var key = _app.Services.GetRequiredService<PersonalData>().ChatKey("telegram", blocked.ToString());
        var active = await _app.WithDbAsync(db => db.Subscribers.Where(s => s.ChatKey == key).Select(s => s.Active).SingleAsync());
        Assert.False(active);
    }

    [Fact]
    public async Task A_429_is_waited_out_and_the_refused_resident_still_gets_the_notice_once()
    {
        long limited = ResidentScript.NewResident(), other = ResidentScript.NewResident();
        await _app.SendAsync(TelegramUpdates.Text(limited, "/dangky phường Hải Vân"));
        await _app.SendAsync(TelegramUpdates.Text(other, "/dangky phường Hải Vân"));
        _app.Telegram.FailNext(limited, count: 2, status: 429);

        var progress = await DoneAsync(await PostNoticeAsync(new { text = "Cảnh báo lừa đảo qua điện thoại", unitCodes = new[] { "20194" } }));

        Assert.Equal((2, 2, 0), (progress.Total, progress.Sent, progress.Failed));
        Assert.Single(_app.Telegram.SentTo(limited), m => m.Text == "Cảnh báo lừa đảo qua điện thoại");
        Assert.Single(_app.Telegram.SentTo(other), m => m.Text == "Cảnh báo lừa đảo qua điện thoại");
    }

    [Fact]
    public async Task Two_workers_on_one_broadcast_send_nobody_the_notice_twice()
    {
        var now = DateTime.UtcNow;
        var chats = Enumerable.Range(0, 300).Select(i => 8_000_000_000L + i).ToList();
        var personal = _app.Services.GetRequiredService<PersonalData>();
        await _app.WithDbAsync(async db =>
        {
            db.Subscribers.AddRange(chats.Select(c => new SubscriberRecord
            {
                Id = Guid.NewGuid(), Channel = "telegram", ChatId = personal.Protect(c.ToString()), ChatKey = personal.ChatKey("telegram", c.ToString()),
                UnitCode = "20257", Culture = "vi", CreatedAt = now, UpdatedAt = now,
            }));
            return await db.SaveChangesAsync();
        });
        var id = Guid.Parse(await PostNoticeAsync(new { text = "Thông báo khẩn về mưa lũ", channels = new[] { "telegram" } }));
        await Eventually.Get(() => _app.WithDbAsync(db => db.Notices.Where(n => n.Id == id).Select(n => n.Status).SingleAsync()), s => s != NoticeStatus.Queued, "planned");

        // As if a restart had re-enqueued the work while the first worker was still going.
        await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var scope = _app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<BroadcastJob>().SendAsync(id, "telegram", CancellationToken.None);
        }));

        var progress = await DoneAsync(id.ToString());
        Assert.Equal((300, 300), (progress.Total, progress.Sent));
        var perChat = _app.Telegram.Sent.Where(m => m.Text == "Thông báo khẩn về mưa lũ").GroupBy(m => m.ChatId).ToList();
        Assert.Equal(300, perChat.Count);
        Assert.All(perChat, g => Assert.Single(g));
    }
}

public sealed class NoticesOnEmbeddedStores() : NoticeTests(StoreMode.Embedded);

public sealed class NoticesOnRedisAndPostgres() : NoticeTests(StoreMode.Production);
