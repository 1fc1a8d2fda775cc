using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TipBot.Server.Persistence;
using TipBot.Server.Privacy;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Privacy;

/// <summary>Nothing leaked: logs, data at rest, deletion on request, retention, flood control.</summary>
[Collection("integration")]
public abstract class PrivacyTests(StoreMode mode) : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private TipBotApp _app = null!;
    private const string Phone = "0905123987";
    private const string Description = "Thằng Tư Mập ở kiệt 27 bán ma túy cho học sinh ở phường Hải Châu";

    public async Task InitializeAsync() => _app = await TipBotApp.StartAsync(mode, b =>
    {
        b.UseSetting("Logging:LogLevel:Default", "Trace");
        b.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command", "Trace");
        b.UseSetting("Privacy:RetentionDays", "0");
        b.UseSetting("Conversations:MessagesPerMinute", "12");
        b.ConfigureLogging(logging => logging.AddProvider(_logs));
    });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<(long Resident, string Code)> TipWithPhoneAsync()
    {
        var resident = ResidentScript.NewResident();
        var code = await _app.ReportTipAsync(resident, Description, "time:today", "anon:no", Phone, "confirm:send");
        return (resident, code);
    }

    [Fact]
    public async Task Logs_carry_ids_never_message_text_names_phone_numbers_chat_ids_or_tokens()
    {
        var (resident, code) = await TipWithPhoneAsync();
        var alert = await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code);
        Assert.Contains(Phone, alert.Text); // the tipster chose to share it with the officer
        await _app.SendAsync(TelegramUpdates.Button(TipBotApp.HaiChauOfficer, alert.Button("acc:")));
        await _app.MessageAsync(resident, m => m.Text.Contains("tiếp nhận") && m.Text.Contains(code), "resident told");

        var logs = _logs.Lines.ToList();
        Assert.True(logs.Count > 50, $"only {logs.Count} log lines were captured");
        foreach (var secret in new[] { "Tư Mập", "kiệt 27", Phone, resident.ToString(), "Test Firstname", "Testusername", "TEST-TOKEN", "Nguyễn Văn An" })
            Assert.DoesNotContain(logs, line => line.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_tipsters_chat_id_and_phone_are_encrypted_at_rest()
    {
        var (resident, _) = await TipWithPhoneAsync();

        var tip = Assert.Single(await _app.TipsAsync());
        Assert.DoesNotContain(Phone, tip.ContactPhone);
        Assert.DoesNotContain(resident.ToString(), tip.ReporterChatId);
        var personal = _app.Services.GetRequiredService<PersonalData>();
        Assert.Equal((Phone, resident.ToString()), (personal.Unprotect(tip.ContactPhone!), personal.Unprotect(tip.ReporterChatId!)));
        var outboxChats = await _app.WithDbAsync(db => db.Outbox.Select(o => o.ChatId).ToListAsync());
        Assert.DoesNotContain(outboxChats, c => c.Contains(resident.ToString()));
    }

    [Fact]
    public async Task A_resident_who_asks_for_deletion_is_forgotten_and_no_longer_messaged()
    {
        var (resident, code) = await TipWithPhoneAsync();
        await _app.SendAsync(TelegramUpdates.Text(resident, "/dangky phường Hải Châu"));
        var alert = await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code);

        await _app.SendAsync(TelegramUpdates.Text(resident, "/xoadulieu"));
        var afterDeletion = _app.Telegram.SentTo(resident).Count;
        await _app.SendAsync(TelegramUpdates.Button(TipBotApp.HaiChauOfficer, alert.Button("acc:")));
        await _app.MessageAsync(TipBotApp.HaiChauOfficer, m => m.Text.Contains("Bạn đã tiếp nhận"), "officer confirmation");
        await Eventually.Get(() => _app.WithDbAsync(db => db.Outbox.CountAsync(o => o.SentAt == null)), n => n == 0, "notices sent");

        var tip = Assert.Single(await _app.TipsAsync());
        Assert.Equal((null, null), (tip.ReporterChatId, tip.ContactPhone));
        Assert.NotNull(tip.PersonalDataPurgedAt);
        Assert.Equal(0, await _app.WithDbAsync(db => db.Subscribers.CountAsync()));
        Assert.Equal(afterDeletion, _app.Telegram.SentTo(resident).Count);
    }

    [Fact]
    public async Task Contact_data_of_closed_tips_is_purged_after_the_retention_period()
    {
        var (_, code) = await TipWithPhoneAsync();
        var alert = await _app.AlertForAsync(TipBotApp.HaiChauOfficer, code);
        await _app.SendAsync(TelegramUpdates.Button(TipBotApp.HaiChauOfficer, alert.Button("acc:")));
        var actions = await _app.MessageAsync(TipBotApp.HaiChauOfficer, m => m.Text.Contains("Bạn đã tiếp nhận"), "accepted");
        await _app.SendAsync(TelegramUpdates.Button(TipBotApp.HaiChauOfficer, actions.Button("res:")));
        await _app.SendAsync(TelegramUpdates.Button(TipBotApp.HaiChauOfficer, _app.Telegram.SentTo(TipBotApp.HaiChauOfficer).Last().Button("out:unfounded:")));
        await Eventually.Get(() => _app.TipsAsync(), tips => tips.Single().Status == TipStatus.Resolved, "resolved");

        await using (var scope = _app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<PrivacyHandler>().ApplyRetentionAsync(CancellationToken.None);

        var tip = Assert.Single(await _app.TipsAsync());
        Assert.Equal((null, null, TipBot.Core.Text.VietnameseText.Normalize(Description)), (tip.ReporterChatId, tip.ContactPhone, tip.Description));
    }

    [Fact]
    public async Task Images_uploaded_for_a_notice_never_sent_are_deleted_after_a_day_and_a_notices_image_is_kept()
    {
        var now = DateTime.UtcNow;
        Guid abandoned = Guid.NewGuid(), fresh = Guid.NewGuid(), used = Guid.NewGuid();
        await _app.WithDbAsync(async db =>
        {
            foreach (var (id, at) in new[] { (abandoned, now.AddDays(-2)), (fresh, now.AddHours(-1)), (used, now.AddDays(-30)) })
                db.NoticeImages.Add(new NoticeImageRecord { Id = id, ContentType = "image/png", Content = [0x89, 0x50, 0x4E, 0x47], CreatedAt = at });
            db.Notices.Add(new NoticeRecord { Id = Guid.NewGuid(), Text = "Thông báo có ảnh", ImageId = used, Status = NoticeStatus.Done, CreatedAt = now.AddDays(-30) });
            return await db.SaveChangesAsync();
        });

        await using (var scope = _app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<PrivacyHandler>().ApplyRetentionAsync(CancellationToken.None);

        var left = await _app.WithDbAsync(db => db.NoticeImages.Select(i => i.Id).ToListAsync());
        Assert.Equal(new[] { fresh, used }.Order(), left.Order());
    }

    [Fact]
    public async Task With_a_certificate_the_key_ring_is_encrypted_at_rest_and_a_restarted_server_still_reads_the_records()
    {
        var certificate = Path.Combine(Path.GetTempPath(), $"tipbot-keys-{Guid.NewGuid():N}.pfx");
        using (var rsa = System.Security.Cryptography.RSA.Create(2048))
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=TipBot key ring", rsa,
                System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(certificate, made.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "pfx-password"));
        }
        void WithCertificate(IWebHostBuilder b)
        {
            b.UseSetting("DataProtection:CertificatePath", certificate);
            b.UseSetting("DataProtection:CertificatePassword", "pfx-password");
        }
        try
        {
            await using var first = await TipBotApp.StartAsync(mode, WithCertificate);
            var resident = ResidentScript.NewResident();
            await first.SendAsync(TelegramUpdates.Text(resident, "/dangky phường Hải Vân"));
            var stored = await first.WithDbAsync(db => db.Subscribers.Select(s => s.ChatId).SingleAsync());
            var ring = await first.WithDbAsync(db => db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync());
            Assert.NotEmpty(ring);
            Assert.All(ring, xml =>
            {
                Assert.Contains("EncryptedData", xml);
                Assert.DoesNotContain("<masterKey", xml); // the plain key element is gone
            });

            // A new process on the same records, with the certificate, reads the key ring and the chat id.
            await using var restarted = await TipBotApp.StartAsync(mode, b =>
            {
                WithCertificate(b);
                b.UseSetting("ConnectionStrings:Database", first.DatabaseConnectionString);
            });
            Assert.Equal(resident.ToString(), restarted.Services.GetRequiredService<PersonalData>().Unprotect(stored));
        }
        finally
        {
            File.Delete(certificate);
        }
    }

    [Fact]
    public async Task An_operator_erases_the_data_of_the_resident_who_sent_a_named_tip()
    {
        var (resident, code) = await TipWithPhoneAsync();
        await _app.SendAsync(TelegramUpdates.Text(resident, "/dangky phường Hải Châu"));
        var (_, otherCode) = await TipWithPhoneAsync(); // another resident's tip is left alone
        var database = $"--ConnectionStrings:Database={_app.DatabaseConnectionString}";

        Assert.Equal(2, await TipBot.Server.Cli.CommandLine.RunAsync("erase-resident", ["erase-resident", "--tip", "TB-NOSUCH", database]));
        Assert.Equal(0, await TipBot.Server.Cli.CommandLine.RunAsync("erase-resident", ["erase-resident", "--tip", code.ToLowerInvariant(), database]));

        var tips = await _app.TipsAsync();
        var erased = tips.Single(t => t.Code == code);
        Assert.Equal((null, null), (erased.ReporterChatId, erased.ContactPhone));
        Assert.NotNull(tips.Single(t => t.Code == otherCode).ContactPhone);
        Assert.Equal(0, await _app.WithDbAsync(db => db.Subscribers.CountAsync()));
        Assert.Contains("personal_data_erased", await _app.WithDbAsync(db => db.TipEvents.Where(e => e.TipId == erased.Id).Select(e => e.Kind).ToListAsync()));
    }

    [Fact]
    public async Task A_flood_of_messages_gets_one_polite_wait_and_is_not_processed()
    {
        var resident = ResidentScript.NewResident();
        for (var i = 0; i < 20; i++) await _app.SendAsync(TelegramUpdates.Text(resident, "/help"));

        var replies = _app.Telegram.SentTo(resident);
        Assert.Equal(12, replies.Count(r => r.Text.StartsWith("Cách dùng")));
        Assert.Single(replies, r => r.Text.Contains("gửi nhanh quá"));
        Assert.Equal(13, replies.Count);
    }
}

public sealed class PrivacyOnEmbeddedStores() : PrivacyTests(StoreMode.Embedded);

public sealed class PrivacyOnRedisAndPostgres() : PrivacyTests(StoreMode.Production);
