using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Console;

/// <summary>What the console shows and does, over HTTP: dashboard, export, directory, broadcasts, language, dates.</summary>
[Collection("integration")]
public abstract class ConsoleFeatureTests(StoreMode mode) : IAsyncLifetime
{
    private TipBotApp _app = null!;
    private ConsoleClient _admin = null!;

    public async Task InitializeAsync()
    {
        _app = await TipBotApp.StartAsync(mode);
        await ConsoleClient.CreateAccountAsync(_app, "admin", ConsoleRole.Admin);
        _admin = await ConsoleClient.SignedInAsync(_app, "admin");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<TipRecord> AddTipAsync(string code, string unit, DateTime receivedAt, DateTime? acceptedAt = null, string? phone = null)
    {
        var tip = new TipRecord
        {
            Id = Guid.NewGuid(), SubmissionId = Guid.NewGuid(), Code = code, Description = "Bán ma túy gần chợ, nhà ông Tư", Category = "drugs",
            UnitCode = unit, AssignedUnitCode = unit, ReporterChannel = "telegram", ReporterKey = "k" + code, Culture = "vi",
            Status = acceptedAt is null ? TipStatus.Assigned : TipStatus.Accepted, ReceivedAt = receivedAt, AcceptedAt = acceptedAt,
            Anonymous = phone is null, ContactPhone = phone,
        };
        await _app.WithDbAsync(async db => { db.Tips.Add(tip); return await db.SaveChangesAsync(); });
        return tip;
    }

    [Fact]
    public async Task The_dashboard_counts_the_last_30_days_and_shades_the_map_by_unit()
    {
        var now = DateTime.UtcNow;
        await AddTipAsync("TB-AAAAA1", "20242", now.AddHours(-50), acceptedAt: now.AddHours(-48));
        await AddTipAsync("TB-AAAAA2", "20242", now.AddHours(-40));
        await AddTipAsync("TB-AAAAA3", "20194", now.AddHours(-30), acceptedAt: now.AddHours(-29));
        await AddTipAsync("TB-AAAAA4", "20194", now.AddDays(-45), acceptedAt: now.AddDays(-45)); // outside the window

        var page = await _admin.GetPageAsync("/console/dashboard");

        Assert.Contains("<b id=\"stat-total\">3</b>", page);
        Assert.Contains("<b id=\"stat-sla\">67 %</b>", page);
        Assert.Contains("<b id=\"stat-ack\">1,5 h</b>", page); // Vietnamese decimal comma
        Assert.Contains("data-unit=\"20242\" data-count=\"2\"", page);
        Assert.Contains("data-unit=\"20194\" data-count=\"1\"", page);
        Assert.Contains("data-unit=\"20305\" data-count=\"0\"", page);
        Assert.Contains("<svg id=\"chart-categories\"", page);
    }

    [Fact]
    public async Task The_csv_export_has_the_filtered_tips_and_no_personal_data()
    {
        await AddTipAsync("TB-BBBBB1", "20242", DateTime.UtcNow.AddHours(-2), phone: "encrypted-phone-value");
        await AddTipAsync("TB-BBBBB2", "20194", DateTime.UtcNow.AddHours(-1));

        using var response = await _admin.Http.GetAsync("/console/tips?handler=export&unit=20242");
        var csv = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF');

        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("code,received_at,category,urgent,unit_code,", csv);
        Assert.Contains("TB-BBBBB1,", csv);
        Assert.DoesNotContain("TB-BBBBB2", csv);
        Assert.DoesNotContain("encrypted-phone-value", csv);
        Assert.DoesNotContain("ông Tư", csv);
    }

    [Fact]
    public async Task Dates_are_shown_as_day_month_year_in_vietnam_time()
    {
        var tip = await AddTipAsync("TB-CCCCC1", "20242", new DateTime(2026, 11, 25, 20, 30, 0, DateTimeKind.Utc));

        var page = await _admin.GetPageAsync($"/console/tips/{tip.Id}");
        var filtered = await _admin.GetPageAsync("/console/tips?from=26/11/2026&to=26/11/2026");
        var dayBefore = await _admin.GetPageAsync("/console/tips?to=25/11/2026");

        Assert.Contains("26/11/2026 03:30", page);
        Assert.Contains("TB-CCCCC1", filtered);
        Assert.DoesNotContain("TB-CCCCC1", dayBefore);
    }

    [Fact]
    public async Task The_console_speaks_vietnamese_by_default_and_english_when_asked()
    {
        var client = ConsoleClient.For(_app);

        var vietnamese = await client.GetPageAsync("/console/signin");
        var english = await client.GetPageAsync("/console/signin?culture=en");
        using var remember = await client.Http.GetAsync("/console/language?culture=en&returnUrl=/console/signin");
        var remembered = await client.GetPageAsync("/console/signin");

        Assert.Contains("<h1>Đăng nhập</h1>", vietnamese);
        Assert.Contains("<h1>Sign in</h1>", english);
        Assert.Equal(HttpStatusCode.Redirect, remember.StatusCode);
        Assert.Contains("<h1>Sign in</h1>", remembered);
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("/\\evil.example/x")]
    [InlineData("https://evil.example/")]
    public async Task The_language_switch_only_returns_to_pages_of_this_site(string returnUrl)
    {
        using var response = await ConsoleClient.For(_app).Http.GetAsync($"/console/language?culture=en&returnUrl={Uri.EscapeDataString(returnUrl)}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/console", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task An_admin_issues_a_one_time_link_code_for_an_officer()
    {
        using var response = await _admin.PostFormAsync("/console/directory", "/console/directory?handler=linkCode", new() { ["officerId"] = "o-20194" });
        var page = await response.Content.ReadAsStringAsync();

        var record = await _app.WithDbAsync(db => db.LinkCodes.AsNoTracking().SingleAsync());
        Assert.Equal("o-20194", record.OfficerId);
        Assert.Contains($"/link {record.Code}", page);
    }

    [Fact]
    public async Task A_directory_upload_with_errors_lists_them_and_writes_nothing()
    {
        var page = await _admin.GetPageAsync("/console/directory/import");
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { File("code,name,type,parent_code,aliases\n20999,Phường Mới,village,48,\n"), "units", "units.csv" },
            { File("id,full_name,unit_code,role,channel,chat_id,phone\n"), "officers", "officers.csv" },
        };

        using var response = await _admin.Http.PostAsync("/console/directory/import?handler=preview", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("units.csv line 2: type must be", await response.Content.ReadAsStringAsync());
        Assert.False(await _app.WithDbAsync(db => db.Units.AnyAsync(u => u.Code == "20999")));

        static ByteArrayContent File(string text)
        {
            var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(text));
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            return content;
        }
    }

    [Fact]
    public async Task A_broadcast_to_some_units_with_none_ticked_is_refused_not_sent_to_everyone()
    {
        using var response = await _admin.PostFormAsync("/console/notices/new", "/console/notices/new?handler=send",
            new() { ["Text"] = "Cảnh báo", ["Audience"] = "units" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await _app.WithDbAsync(db => db.Notices.CountAsync()));
    }
}

public sealed class ConsoleFeaturesOnEmbeddedStores() : ConsoleFeatureTests(StoreMode.Embedded);

public sealed class ConsoleFeaturesOnRedisAndPostgres() : ConsoleFeatureTests(StoreMode.Production);
