using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Console;

/// <summary>The console and the web chat in a real browser, against the host on a real loopback port.</summary>
[Collection("integration")]
public abstract class ConsoleBrowserTests(StoreMode mode) : IAsyncLifetime
{
    private TipBotApp _app = null!;
    private Browser _browser = null!;
    private UnreachableSwitch _store = null!;
    private readonly SlowPolls _slowPolls = new();

    public async Task InitializeAsync()
    {
        _app = await TipBotApp.StartAsync(mode, b => b
            .UseSetting("Broadcast:Telegram:MessagesPerSecond", "1000")
            .ConfigureTestServices(services =>
            {
                UnreachableSwitch.Install(services);
                services.AddSingleton<IStartupFilter>(_slowPolls);
            }), kestrel: true);
        _store = UnreachableSwitch.Of(_app.Services);
        await ConsoleClient.CreateAccountAsync(_app, "admin", ConsoleRole.Admin);
        await ConsoleClient.CreateAccountAsync(_app, "an.haichau", ConsoleRole.Officer, "o-20242");
        _browser = new Browser(_app.KestrelAddress!);
    }

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public void Signing_in_from_a_console_link_lands_on_the_page_asked_for()
    {
        _browser.Go("/console/dashboard");
        Assert.Equal("/console/signin", _browser.Path);

        _browser.Type("#user-name", "admin");
        _browser.Type("#password", "wrong password!");
        _browser.Click("#sign-in");
        Assert.Contains("Không đăng nhập được: sai tên đăng nhập hoặc mật khẩu", _browser.Find("#sign-in-error").Text);

        _browser.Type("#user-name", "admin");
        _browser.Type("#password", ConsoleClient.Password);
        _browser.Click("#sign-in");

        _browser.Until(d => new Uri(d.Url).AbsolutePath == "/console/dashboard", "the dashboard");
        Assert.Contains("admin", _browser.Find(".who").Text);
        Assert.NotNull(_browser.Find("#unit-map"));
    }

    [Fact]
    public async Task An_admin_filters_the_tip_list_by_category_and_text()
    {
        var drugs = await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident());
        var theft = await _app.ReportTipAsync(ResidentScript.NewResident(), "Có người trộm xe máy ở phường Hải Vân", "time:today", "anon:yes", "confirm:send");
        _browser.SignIn("admin", ConsoleClient.Password);
        _browser.Go("/console/tips");
        _browser.Until(d => d.FindElements(By.CssSelector($"tr[data-code='{drugs}']")).Count == 1 && d.FindElements(By.CssSelector($"tr[data-code='{theft}']")).Count == 1, "both tips listed");

        _browser.Choose("#filter-category", "theft");
        _browser.Click("#apply-filter");
        _browser.Until(d => d.Url.Contains("category=theft"), "the filtered list");
        Assert.Single(_browser.Driver.FindElements(By.CssSelector($"tr[data-code='{theft}']")));
        Assert.Empty(_browser.Driver.FindElements(By.CssSelector($"tr[data-code='{drugs}']")));

        _browser.Go("/console/tips");
        _browser.Type("#filter-text", "MA TÚY");
        _browser.Click("#apply-filter");
        _browser.Until(d => d.Url.Contains("q="), "the searched list");
        Assert.Single(_browser.Driver.FindElements(By.CssSelector($"tr[data-code='{drugs}']")));
        Assert.Empty(_browser.Driver.FindElements(By.CssSelector($"tr[data-code='{theft}']")));
    }

    [Fact]
    public async Task The_tip_list_and_the_dashboard_fit_a_phone_screen()
    {
        var code = await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident());
        _browser.Driver.Manage().Window.Size = new System.Drawing.Size(390, 844);
        _browser.SignIn("admin", ConsoleClient.Password);
        Assert.True((long)_browser.Driver.ExecuteScript("return window.innerWidth;")! <= 400, "a phone-sized window");

        foreach (var page in new[] { "/console/tips", "/console/dashboard" })
        {
            _browser.Go(page);
            _browser.Find("main");
            // Wide tables scroll inside their own box; the page itself never scrolls sideways.
            var overflow = (long)_browser.Driver.ExecuteScript("return document.documentElement.scrollWidth - window.innerWidth;")!;
            Assert.True(overflow <= 0, $"{page} is {overflow}px wider than the phone");
        }
        _browser.Go("/console/tips");
        Assert.NotNull(_browser.Find($"tr[data-code='{code}']"));
    }

    [Fact]
    public async Task An_officer_accepts_a_tip_of_their_unit_from_its_page()
    {
        var code = await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident());
        await Eventually.Get(() => _app.WithDbAsync(db => db.Tips.SingleAsync(t => t.Code == code)), t => t.Status == TipStatus.Assigned, "tip routed");
        _browser.SignIn("an.haichau", ConsoleClient.Password);
        _browser.Go("/console/tips");

        _browser.Click($"tr[data-code='{code}'] a");
        _browser.Click("#accept-tip");

        _browser.Until(d => d.FindElement(By.Id("tip-status")).Text.Contains("Đang xử lý"), "the tip accepted");
        Assert.NotNull(_browser.Find("#resolve-tip"));
        var tip = await _app.WithDbAsync(db => db.Tips.AsNoTracking().SingleAsync(t => t.Code == code));
        Assert.Equal((TipStatus.Accepted, "o-20242"), (tip.Status, tip.AcceptedByOfficerId));
    }

    [Fact]
    public async Task An_admin_imports_directory_files_after_a_preview_of_the_changes()
    {
        var folder = System.IO.Directory.CreateTempSubdirectory("tipbot-import-");
        var units = Path.Combine(folder.FullName, "units.csv");
        var officers = Path.Combine(folder.FullName, "officers.csv");
        await File.WriteAllTextAsync(units, TestDirectory.Units + "\n20200,Phường Thanh Khê,ward,48,Thanh Khê\n");
        await File.WriteAllTextAsync(officers, TestDirectory.Officers.Replace("Trần Thị Bình", "Trần Thị Bình An") + "\no-20200,Võ Văn Em,20200,officer,telegram,5000010,\n");
        try
        {
            _browser.SignIn("admin", ConsoleClient.Password);
            _browser.Go("/console/directory/import");
            _browser.Find("#units-file").SendKeys(units);
            _browser.Find("#officers-file").SendKeys(officers);
            _browser.Click("#preview-import");

            _browser.Find("#import-preview");
            Assert.NotNull(_browser.Find("tr[data-change='added'][data-id='20200']"));
            Assert.NotNull(_browser.Find("tr[data-change='added'][data-id='o-20200']"));
            Assert.NotNull(_browser.Find("tr[data-change='changed'][data-id='o-20257']"));
            Assert.False(await _app.WithDbAsync(db => db.Units.AnyAsync(u => u.Code == "20200")), "the preview writes nothing");

            _browser.Click("#confirm-import");

            Assert.Contains("units: 1 added", _browser.Find("#import-result").Text);
            Assert.True(await _app.WithDbAsync(db => db.Officers.AnyAsync(o => o.Id == "o-20200" && o.UnitCode == "20200")));
            Assert.Equal("Trần Thị Bình An", await _app.WithDbAsync(db => db.Officers.Where(o => o.Id == "o-20257").Select(o => o.FullName).SingleAsync()));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_broadcast_sent_from_the_console_shows_its_progress_reaching_100_percent()
    {
        long first = ResidentScript.NewResident(), second = ResidentScript.NewResident();
        await _app.SendAsync(TelegramUpdates.Text(first, "/dangky phường Hải Châu"));
        await _app.SendAsync(TelegramUpdates.Text(second, "/dangky phường Hải Châu"));
        _browser.SignIn("admin", ConsoleClient.Password);
        _browser.Go("/console/notices/new");

        _browser.Type("#notice-text", "Cảnh báo lừa đảo qua điện thoại: công an không gọi điện yêu cầu chuyển tiền.");
        _browser.Click("#audience-units");
        _browser.Choose("#notice-units", "20242");
        _browser.Click("#preview-notice");
        Assert.Contains("2", _browser.Find("#notice-preview").Text);
        _browser.Click("#send-notice");

        // Every delivery handled shows 100 % a poll before the notice itself is marked done.
        _browser.Until(d => d.FindElement(By.Id("progress-percent")).Text == "100" && d.FindElement(By.Id("progress-status")).Text == "done",
            "the progress bar at 100 % and the notice done");
        Assert.Equal("2", _browser.Find("#progress-sent").Text);
        Assert.Equal("100", _browser.Find("#progress-bar").GetAttribute("aria-valuenow"));
        foreach (var resident in new[] { first, second })
            await _app.MessageAsync(resident, m => m.Text.Contains("Cảnh báo lừa đảo"), "the notice delivered");
    }

    [Fact]
    public async Task A_resident_reports_a_whole_tip_through_the_web_chat()
    {
        _browser.Go("/");
        _browser.Type("#resident input[name=text]", "Tối qua có nhóm thanh niên bán ma túy ở phường Hải Châu, gần chợ");
        _browser.Click("#resident form button");
        foreach (var payload in new[] { "time:yesterday", "anon:yes", "confirm:send" })
            _browser.Click($"#resident .msg.bot button[data-payload='{payload}']");

        var confirmation = _browser.Until(d => d.FindElements(By.CssSelector("#resident .msg.bot")).Select(m => m.Text)
            .Select(text => ResidentScript.TipCodePattern().Match(text)).FirstOrDefault(m => m.Success), "the tip code");

        var tip = await Eventually.Get(() => _app.WithDbAsync(db => db.Tips.AsNoTracking().SingleOrDefaultAsync(t => t.Code == confirmation.Value)),
            t => t is { Status: TipStatus.Assigned }, "the web tip routed");
        Assert.Equal(("web", "drugs", "20242"), (tip!.ReporterChannel, tip.Category, tip.UnitCode));
        await _app.AlertForAsync(TipBotApp.HaiChauOfficer, confirmation.Value);
        Assert.Contains("đăng nhập", _browser.Find("#officer-note").Text); // the officer pane needs a sign-in
    }

    [Fact]
    public async Task A_web_chat_message_the_server_could_not_take_is_sent_again_and_answered_once()
    {
        _store.Unreachable = true; // as while Redis reconnects: the server answers 503
        _browser.Go("/");
        _browser.Type("#resident input[name=text]", "Có người trộm xe máy ở phường Hải Vân");
        _browser.Click("#resident form button");
        await Eventually.Get(() => _store.Refusals, n => n > 0, "the server to turn the message away");
        _store.Unreachable = false;

        _browser.Until(d => d.FindElements(By.CssSelector("#resident .msg.bot button[data-payload='time:today']")).FirstOrDefault(), "the question of when, after the page sent the message again");
        var bot = _browser.Driver.FindElements(By.CssSelector("#resident .msg.bot")).Select(m => m.Text).ToList();
        Assert.DoesNotContain(bot, text => text.Contains("⚠️"));
        Assert.Single(_browser.Driver.FindElements(By.CssSelector("#resident .msg.bot button[data-payload='time:today']")));
    }

    [Fact]
    public void Replies_are_shown_once_when_the_pages_polls_overlap()
    {
        _slowPolls.Delay = TimeSpan.FromMilliseconds(1500); // longer than the page's 1 s timer: every poll overlaps the next
        _browser.Go("/");
        _browser.Type("#resident input[name=text]", "Có người trộm xe máy ở phường Hải Vân");
        _browser.Click("#resident form button");
        _browser.Until(d => d.FindElements(By.CssSelector("#resident .msg.bot button[data-payload='time:today']")).FirstOrDefault(), "the question of when");
        _browser.Click("#resident .msg.bot button[data-payload='time:today']");

        // Asked after the first question was shown: every poll that could bring it again has come back first.
        _browser.Until(d => d.FindElements(By.CssSelector("#resident .msg.bot button[data-payload='anon:yes']")).FirstOrDefault(), "the question of anonymity");
        Assert.Single(_browser.Driver.FindElements(By.CssSelector("#resident .msg.bot button[data-payload='time:today']")));
    }
}

/// <summary>Answers the web chat's polls late, as a slow server or network would.</summary>
internal sealed class SlowPolls : IStartupFilter
{
    public TimeSpan Delay { get; set; }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (Delay > TimeSpan.Zero && HttpMethods.IsGet(context.Request.Method) && context.Request.Path.StartsWithSegments("/api/webchat/messages"))
                await Task.Delay(Delay, context.RequestAborted);
            await nextMiddleware(context);
        });
        next(app);
    };
}

public sealed class ConsoleBrowserOnEmbeddedStores() : ConsoleBrowserTests(StoreMode.Embedded);

public sealed class ConsoleBrowserOnRedisAndPostgres() : ConsoleBrowserTests(StoreMode.Production);
