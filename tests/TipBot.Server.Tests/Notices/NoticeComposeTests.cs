using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Server.Jobs;
using TipBot.Server.Notices;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Console;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Notices;

/// <summary>Composing a notice: a time to send it at, an English text beside the Vietnamese one, an image.</summary>
[Collection("integration")]
public abstract partial class NoticeComposeTests(StoreMode mode) : IAsyncLifetime
{
    private const string AdminKey = "admin-key-for-tests";
    private TipBotApp _app = null!;

    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(mode, b =>
    {
        b.UseSetting("Admin:ApiKeys:0", AdminKey);
        b.UseSetting("Broadcast:Telegram:MessagesPerSecond", "1000");
    });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private HttpClient Admin()
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    private async Task<Guid> PostNoticeAsync(object body)
    {
        using var response = await Admin().PostAsJsonAsync("/api/admin/notices", body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return Guid.Parse((await response.Content.ReadFromJsonAsync<NoticeCreated>())!.Id);
    }

    private Task<NoticeProgress> ProgressAsync(Guid id) => Admin().GetFromJsonAsync<NoticeProgress>($"/api/admin/notices/{id}")!;

    private Task<NoticeProgress> DoneAsync(Guid id) => Eventually.Get(async () => (await ProgressAsync(id))!, p => p.Status == "done", "notice delivered", seconds: 30);

    private Task<string> StatusAsync(Guid id) => _app.WithDbAsync(db => db.Notices.Where(n => n.Id == id).Select(n => n.Status).SingleAsync());

    /// <summary>Subscribers on Telegram in unit 20305, each with the language they use the bot in.</summary>
    private async Task<List<long>> SubscribeAsync(params string[] cultures)
    {
        var now = DateTime.UtcNow;
        var personal = _app.Services.GetRequiredService<PersonalData>();
        var chats = cultures.Select(_ => ResidentScript.NewResident()).ToList();
        await _app.WithDbAsync(async db =>
        {
            db.Subscribers.AddRange(chats.Select((c, i) => new SubscriberRecord
            {
                Id = Guid.NewGuid(), Channel = "telegram", ChatId = personal.Protect(c.ToString()), ChatKey = personal.ChatKey("telegram", c.ToString()),
                UnitCode = "20305", Culture = cultures[i], CreatedAt = now, UpdatedAt = now,
            }));
            return await db.SaveChangesAsync();
        });
        return chats;
    }

    private async Task RunSweepAsync()
    {
        await using var scope = _app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SweepJob>().RunAsync(CancellationToken.None);
    }

    private static string Iso(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_scheduled_notice_is_not_sent_before_its_time_and_is_sent_once_after()
    {
        var resident = (await SubscribeAsync("vi"))[0];
        var sendAt = DateTimeOffset.UtcNow.AddSeconds(4);
        var id = await PostNoticeAsync(new { text = "Thông báo hẹn giờ", unitCodes = new[] { "20305" }, sendAt = Iso(sendAt) });

        var scheduled = await ProgressAsync(id);
        Assert.Equal("scheduled", scheduled.Status);
        Assert.Equal(sendAt.ToUnixTimeMilliseconds(), scheduled.SendAt!.Value.ToUnixTimeMilliseconds());
        // The minute sweep leaves a notice whose time has not come alone.
        await RunSweepAsync();
        Assert.Equal(NoticeStatus.Scheduled, await StatusAsync(id));
        // Until its time, nobody gets it.
        await Eventually.Get(() =>
        {
            // The clock is read after the look: a copy seen while it is still before the time was sent early.
            var copies = _app.Telegram.SentTo(resident).Count;
            var now = DateTimeOffset.UtcNow;
            if (now < sendAt) Assert.Equal(0, copies);
            return now;
        }, now => now > sendAt, "the scheduled time");

        var progress = await DoneAsync(id);
        Assert.Equal((1, 1), (progress.Total, progress.Sent));
        Assert.Single(_app.Telegram.SentTo(resident), m => m.Text == "Thông báo hẹn giờ");
        var sentAt = await _app.WithDbAsync(db => db.NoticeDeliveries.Where(d => d.NoticeId == id).Select(d => d.SentAt).SingleAsync());
        Assert.True(sentAt >= sendAt.UtcDateTime, $"sent at {sentAt:O}, scheduled for {sendAt:O}");

        // A second run of the schedule (a retry, the sweep) sends nothing again.
        await RunSweepAsync();
        await using (var scope = _app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<BroadcastJob>().PlanAsync(id, CancellationToken.None);
        Assert.Single(_app.Telegram.SentTo(resident));
    }

    [Fact]
    public async Task A_due_scheduled_notice_whose_job_was_lost_is_sent_by_the_sweep()
    {
        var resident = (await SubscribeAsync("vi"))[0];
        var id = Guid.NewGuid();
        await _app.WithDbAsync(async db =>
        {
            // As after a restart on the in-memory queue: the record says scheduled, no job exists.
            db.Notices.Add(new NoticeRecord
            {
                Id = id, Text = "Thông báo sau khi khởi động lại", UnitCodes = "20305", Status = NoticeStatus.Scheduled,
                CreatedAt = DateTime.UtcNow.AddHours(-1), SendAt = DateTime.UtcNow.AddMinutes(-2),
            });
            return await db.SaveChangesAsync();
        });

        await RunSweepAsync();

        await DoneAsync(id);
        Assert.Single(_app.Telegram.SentTo(resident), m => m.Text == "Thông báo sau khi khởi động lại");
    }

    [Fact]
    public async Task A_cancelled_scheduled_notice_is_never_sent()
    {
        var resident = (await SubscribeAsync("vi"))[0];
        var sendAt = DateTimeOffset.UtcNow.AddSeconds(2);
        var id = await PostNoticeAsync(new { text = "Thông báo sẽ bị hủy", unitCodes = new[] { "20305" }, sendAt = Iso(sendAt) });

        using (var cancel = await Admin().DeleteAsync($"/api/admin/notices/{id}"))
            Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);
        using (var again = await Admin().DeleteAsync($"/api/admin/notices/{id}"))
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using (var unknown = await Admin().DeleteAsync($"/api/admin/notices/{Guid.NewGuid()}"))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        // Past its time: the scheduled job and the sweep both find it cancelled.
        await Eventually.Get(() => DateTimeOffset.UtcNow, now => now > sendAt.AddSeconds(2), "past the scheduled time");
        await RunSweepAsync();
        await using (var scope = _app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<BroadcastJob>().PlanAsync(id, CancellationToken.None);

        Assert.Equal("cancelled", (await ProgressAsync(id)).Status);
        Assert.Equal(0, await _app.WithDbAsync(db => db.NoticeDeliveries.CountAsync(d => d.NoticeId == id)));
        Assert.Empty(_app.Telegram.SentTo(resident));
    }

    [Fact]
    public async Task A_started_notice_cannot_be_cancelled()
    {
        await SubscribeAsync("vi");
        var id = await PostNoticeAsync(new { text = "Thông báo gửi ngay", unitCodes = new[] { "20305" } });
        await DoneAsync(id);

        using var cancel = await Admin().DeleteAsync($"/api/admin/notices/{id}");

        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Equal("done", (await ProgressAsync(id)).Status);
    }

    [Fact]
    public async Task A_bilingual_notice_gives_each_subscriber_their_language()
    {
        var chats = await SubscribeAsync("vi", "en", "en", "vi");
        const string vi = "Cảnh báo: mưa lớn, tránh đi qua hầm chui.", en = "Warning: heavy rain, avoid the underpasses.";

        var progress = await DoneAsync(await PostNoticeAsync(new { text = vi, textEn = en, unitCodes = new[] { "20305" } }));

        Assert.Equal(4, progress.Sent);
        Assert.Equal([vi, en, en, vi], chats.Select(c => Assert.Single(_app.Telegram.SentTo(c)).Text));
    }

    [Fact]
    public async Task Without_an_english_text_english_subscribers_get_the_vietnamese_one()
    {
        var chats = await SubscribeAsync("en", "vi");

        await DoneAsync(await PostNoticeAsync(new { text = "Chỉ có tiếng Việt", unitCodes = new[] { "20305" } }));

        Assert.All(chats, c => Assert.Equal("Chỉ có tiếng Việt", Assert.Single(_app.Telegram.SentTo(c)).Text));
    }

    [Fact]
    public async Task An_image_notice_reaches_telegram_as_a_photo_with_its_caption_and_the_file_id_is_reused()
    {
        var chats = await SubscribeAsync("vi", "vi", "en");
        const string url = "https://cdn.example.vn/canh-bao.jpg";

        await DoneAsync(await PostNoticeAsync(new { text = "Cảnh báo kèm ảnh", textEn = "Warning with a picture", imageUrl = url, unitCodes = new[] { "20305" } }));

        var photos = _app.Telegram.Photos;
        Assert.Equal(3, photos.Count);
        Assert.Equal(url, photos[0].Photo);                          // Telegram fetches the URL once
        Assert.All(photos.Skip(1), p => Assert.Equal(photos[0].FileId, p.Photo)); // then the file_id it returned
        Assert.Equal(["Cảnh báo kèm ảnh", "Cảnh báo kèm ảnh", "Warning with a picture"], chats.Select(c => photos.Single(p => p.ChatId == c).Caption));
        Assert.All(chats, c => Assert.Empty(_app.Telegram.SentTo(c))); // the text rode as the caption
    }

    [Fact]
    public async Task A_text_too_long_for_a_caption_follows_the_photo()
    {
        var resident = (await SubscribeAsync("vi"))[0];
        var text = string.Join(' ', Enumerable.Repeat("Cảnh báo lừa đảo qua mạng.", 60)); // ~1,600 characters

        await DoneAsync(await PostNoticeAsync(new { text, imageUrl = "https://cdn.example.vn/dai.png", unitCodes = new[] { "20305" } }));

        var photo = Assert.Single(_app.Telegram.Photos);
        Assert.Null(photo.Caption);
        Assert.Equal(text, Assert.Single(_app.Telegram.SentTo(resident)).Text);
    }

    [Fact]
    public async Task The_web_chat_shows_a_notice_image_above_its_text()
    {
        var chatId = "web-" + Guid.NewGuid().ToString("N")[..12];
        var personal = _app.Services.GetRequiredService<PersonalData>();
        await _app.WithDbAsync(async db =>
        {
            db.Subscribers.Add(new SubscriberRecord
            {
                Id = Guid.NewGuid(), Channel = "web", ChatId = personal.Protect(chatId), ChatKey = personal.ChatKey("web", chatId),
                UnitCode = "20305", Culture = "vi", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            });
            return await db.SaveChangesAsync();
        });

        await DoneAsync(await PostNoticeAsync(new { text = "Cảnh báo trên web", imageUrl = "https://cdn.example.vn/web.jpg", channels = new[] { "web" } }));

        using var messages = JsonDocument.Parse(await _app.CreateClient().GetStringAsync($"/api/webchat/messages?chatId={chatId}"));
        var message = Assert.Single(messages.RootElement.EnumerateArray());
        Assert.Equal("Cảnh báo trên web", message.GetProperty("text").GetString());
        Assert.Equal("https://cdn.example.vn/web.jpg", message.GetProperty("imageUrl").GetString());
    }

    public static TheoryData<string, string> InvalidRequests => new()
    {
        { """{"text":"Cảnh báo","sendAt":"2020-01-01T08:00:00+07:00"}""", "in the past" },
        { """{"text":"Cảnh báo","sendAt":"2020-01-01T08:00:00"}""", "with an offset" },
        { """{"text":"Cảnh báo","sendAt":"ngày mai"}""", "with an offset" },
        { """{"text":"Cảnh báo","imageUrl":"http://cdn.example.vn/a.jpg"}""", "https" },
        { """{"text":"Cảnh báo","imageUrl":"không phải url"}""", "https" },
        { """{"text":"","textEn":"Warning"}""", "text is required" },
    };

    [Theory]
    [MemberData(nameof(InvalidRequests))]
    public async Task A_notice_with_a_bad_time_or_image_url_is_answered_400_with_the_reason(string body, string reason)
    {
        using var response = await Admin().PostAsync("/api/admin/notices", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await _app.WithDbAsync(db => db.Notices.CountAsync()));
    }

    [Fact]
    public async Task A_notice_scheduled_more_than_30_days_ahead_is_refused()
    {
        using var response = await Admin().PostAsJsonAsync("/api/admin/notices", new { text = "Cảnh báo", sendAt = Iso(DateTimeOffset.UtcNow.AddDays(31)) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("more than 30 days ahead", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_notice_too_long_in_english_is_refused()
    {
        using var response = await Admin().PostAsJsonAsync("/api/admin/notices", new { text = "Cảnh báo", textEn = new string('a', NoticeBroadcasts.MaxTextLength + 1) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("textEn is longer than", await response.Content.ReadAsStringAsync());
    }

    // --- the console ---

    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private async Task<ConsoleClient> ConsoleAdminAsync()
    {
        await ConsoleClient.CreateAccountAsync(_app, "admin", ConsoleRole.Admin);
        return await ConsoleClient.SignedInAsync(_app, "admin");
    }

    /// <summary>Posts the compose form as a browser does (multipart, for the file), with the page's antiforgery token.</summary>
    private static async Task<HttpResponseMessage> PostComposeAsync(ConsoleClient admin, string handler, Dictionary<string, string> fields, (byte[] Bytes, string Name)? file = null)
    {
        var page = await admin.Http.GetStringAsync("/console/notices/new");
        var form = new MultipartFormDataContent { { new StringContent(TokenPattern().Match(page).Groups[1].Value), "__RequestVerificationToken" } };
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        if (file is { } f)
        {
            var content = new ByteArrayContent(f.Bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(content, "Image", f.Name);
        }
        return await admin.Http.PostAsync($"/console/notices/new?handler={handler}", form);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [Fact]
    public async Task An_image_uploaded_in_the_console_is_previewed_then_uploaded_to_telegram_once()
    {
        var chats = await SubscribeAsync("vi", "vi", "vi", "en");
        var admin = await ConsoleAdminAsync();
        var fields = new Dictionary<string, string>
        {
            ["Text"] = "Cảnh báo kèm ảnh tải lên", ["TextEn"] = "Warning with an uploaded picture", ["Audience"] = "units", ["UnitCodes"] = "20305",
        };

        using var preview = await PostComposeAsync(admin, "preview", fields, (Png, "anh.png"));
        var html = await preview.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var imageId = Regex.Match(html, "name=\"ImageId\" value=\"([0-9a-f-]+)\"").Groups[1].Value;
        Assert.Contains($"src=\"/notice-images/{imageId}\"", html);       // thumbnail
        Assert.Contains("Warning with an uploaded picture", html);          // each language shown
        Assert.Contains("1 người dùng tiếng Anh", html);
        using (var thumbnail = await _app.CreateClient().GetAsync($"/notice-images/{imageId}"))
        {
            Assert.Equal("image/png", thumbnail.Content.Headers.ContentType?.MediaType);
            Assert.Equal(Png, await thumbnail.Content.ReadAsByteArrayAsync());
        }

        fields["ImageId"] = imageId;
        using var send = await PostComposeAsync(admin, "send", fields);
        Assert.Equal(HttpStatusCode.Redirect, send.StatusCode);
        var id = Guid.Parse(send.Headers.Location!.ToString().Split('/').Last());
        await DoneAsync(id);

        var photos = _app.Telegram.Photos;
        Assert.Equal(4, photos.Count);
        var upload = Assert.Single(photos, p => p.Upload is not null);
        Assert.Equal(Png, upload.Upload);
        Assert.All(photos.Where(p => p != upload), p => Assert.Equal(upload.FileId, p.Photo));
        Assert.Equal("Warning with an uploaded picture", photos.Single(p => p.ChatId == chats[3]).Caption);
        Assert.Equal("Cảnh báo kèm ảnh tải lên", photos.Single(p => p.ChatId == chats[0]).Caption);
    }

    [Fact]
    public async Task A_file_that_is_not_an_image_or_too_big_is_refused_with_a_clear_message()
    {
        var admin = await ConsoleAdminAsync();
        var fields = new Dictionary<string, string> { ["Text"] = "Cảnh báo", ["Audience"] = "all" };

        // A text file named .png: the name does not make it an image.
        using var notImage = await PostComposeAsync(admin, "preview", fields, ("đây không phải ảnh"u8.ToArray(), "anh.png"));
        Assert.Equal(HttpStatusCode.BadRequest, notImage.StatusCode);
        Assert.Contains("Tệp không phải ảnh JPEG hoặc PNG.", await notImage.Content.ReadAsStringAsync());

        var big = new byte[NoticeImages.MaxBytes + 1];
        Png.CopyTo(big, 0);
        using var tooBig = await PostComposeAsync(admin, "preview", fields, (big, "lon.png"));
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
        Assert.Contains("Ảnh lớn hơn 5 MB.", await tooBig.Content.ReadAsStringAsync());

        Assert.Equal(0, await _app.WithDbAsync(db => db.NoticeImages.CountAsync()));
        Assert.Equal(0, await _app.WithDbAsync(db => db.Notices.CountAsync()));
    }

    [Fact]
    public async Task A_notice_scheduled_in_the_console_waits_for_its_vietnam_time_and_can_be_cancelled()
    {
        await SubscribeAsync("vi");
        var admin = await ConsoleAdminAsync();
        var vietnam = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddHours(2), vietnam);
        var typed = local.ToString("dd/MM/yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var fields = new Dictionary<string, string> { ["Text"] = "Thông báo lên lịch", ["Audience"] = "all", ["When"] = "at", ["SendAt"] = typed };

        using var preview = await PostComposeAsync(admin, "preview", fields);
        Assert.Contains($"Sẽ gửi lúc {typed}", await preview.Content.ReadAsStringAsync());
        using var send = await PostComposeAsync(admin, "send", fields);
        Assert.Equal(HttpStatusCode.Redirect, send.StatusCode);
        var detailPath = send.Headers.Location!.ToString();
        var id = Guid.Parse(detailPath.Split('/').Last());

        var notice = await _app.WithDbAsync(db => db.Notices.AsNoTracking().SingleAsync(n => n.Id == id));
        Assert.Equal(NoticeStatus.Scheduled, notice.Status);
        Assert.Equal(new DateTimeOffset(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0, TimeSpan.FromHours(7)).UtcDateTime, notice.SendAt);
        var detail = await admin.GetPageAsync(detailPath);
        Assert.Contains(typed, detail);
        Assert.Contains("id=\"cancel-notice\"", detail);
        Assert.Contains("Thông báo lên lịch", await admin.GetPageAsync("/console/notices/new")); // listed as scheduled

        using var cancel = await admin.PostFormAsync(detailPath, detailPath + "?handler=cancel", []);
        Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        Assert.Equal(NoticeStatus.Cancelled, await StatusAsync(id));
        Assert.DoesNotContain("id=\"cancel-notice\"", await admin.GetPageAsync(detailPath));
    }

    [Fact]
    public async Task A_send_time_in_the_past_is_refused_in_the_console()
    {
        var admin = await ConsoleAdminAsync();
        var fields = new Dictionary<string, string> { ["Text"] = "Cảnh báo", ["Audience"] = "all", ["When"] = "at", ["SendAt"] = "01/01/2020 08:00" };

        using var past = await PostComposeAsync(admin, "send", fields);
        fields["SendAt"] = "ngày mai";
        using var unreadable = await PostComposeAsync(admin, "send", fields);

        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Contains("Thời điểm gửi đã qua.", await past.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
        Assert.Contains("dd/MM/yyyy HH:mm", await unreadable.Content.ReadAsStringAsync());
        Assert.Equal(0, await _app.WithDbAsync(db => db.Notices.CountAsync()));
    }
}

public sealed class NoticeComposeOnEmbeddedStores() : NoticeComposeTests(StoreMode.Embedded);

public sealed class NoticeComposeOnRedisAndPostgres() : NoticeComposeTests(StoreMode.Production);
