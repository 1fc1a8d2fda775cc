using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Server.Persistence;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Console;

/// <summary>Who may see and do what on the console, asserted over HTTP against the real host.</summary>
[Collection("integration")]
public abstract class ConsoleAuthorizationTests(StoreMode mode) : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    // Reads of the console's accounts: a signed-in request reads its account again (ValidatePrincipalAsync).
    private readonly CommandCounter _accountReads = new(sql => sql.Contains("console_accounts", StringComparison.Ordinal));
    private TipBotApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await TipBotApp.StartAsync(mode, b =>
        {
            b.ConfigureLogging(logging => logging.AddProvider(_logs));
            b.ConfigureTestServices(services => services.AddDatabaseInterceptors(mode, _accountReads));
        });
        await ConsoleClient.CreateAccountAsync(_app, "admin", ConsoleRole.Admin);
        await ConsoleClient.CreateAccountAsync(_app, "viewer", ConsoleRole.Viewer);
        await ConsoleClient.CreateAccountAsync(_app, "an.haichau", ConsoleRole.Officer, "o-20242");
        await ConsoleClient.CreateAccountAsync(_app, "cuong.haivan", ConsoleRole.Officer, "o-20194");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public static TheoryData<string> ConsoleRoutes() =>
    [
        "/console", "/console/tips", "/console/tips?handler=export", $"/console/tips/{Guid.NewGuid()}", "/console/dashboard",
        "/console/directory", "/console/directory/import", "/console/notices/new", $"/console/notices/{Guid.NewGuid()}",
        $"/console/notices/{Guid.NewGuid()}?handler=progress", "/console/accounts", "/hangfire", "/hangfire/jobs/enqueued",
    ];

    [Theory]
    [MemberData(nameof(ConsoleRoutes))]
    public async Task An_anonymous_request_is_sent_to_the_sign_in_page(string route)
    {
        using var response = await ConsoleClient.For(_app).Http.GetAsync(route);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/console/signin", response.Headers.Location!.AbsolutePath);
        Assert.StartsWith("?ReturnUrl=", response.Headers.Location.Query);
    }

    [Fact]
    public async Task Only_the_console_paths_look_for_the_sign_in_a_webhook_carrying_the_cookie_does_not()
    {
        var viewer = await ConsoleClient.SignedInAsync(_app, "viewer");
        var before = _accountReads.Count;
        using (var page = await viewer.Http.GetAsync("/console/tips")) Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(_accountReads.Count > before, "a console page reads its account");

        var atWebhook = _accountReads.Count;
        using var update = new HttpRequestMessage(HttpMethod.Post, "/webhooks/telegram") { Content = TelegramUpdates.Content(TelegramUpdates.Text(ResidentScript.NewResident(), "xin chào")) };
        update.Headers.Add("X-Telegram-Bot-Api-Secret-Token", TipBotApp.Secret);
        using var webhook = await viewer.Http.SendAsync(update); // the console's cookie goes along
        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);
        using (var chat = await viewer.Http.GetAsync("/")) Assert.Equal(HttpStatusCode.OK, chat.StatusCode); // a resident's page

        Assert.Equal(atWebhook, _accountReads.Count);
    }

    [Fact]
    public async Task An_anonymous_post_is_sent_to_sign_in_and_changes_nothing()
    {
        var code = await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident());
        var tip = await AssignedTipAsync(code);

        using var accept = await ConsoleClient.For(_app).Http.PostAsync($"/console/tips/{tip.Id}?handler=accept", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.Redirect, accept.StatusCode);
        Assert.Equal("/console/signin", accept.Headers.Location!.AbsolutePath);
        Assert.Equal(TipStatus.Assigned, (await TipAsync(code)).Status);
    }

    [Fact]
    public async Task The_officer_web_chat_refuses_anyone_not_signed_in_as_an_officer_or_admin()
    {
        using var anonymous = await ConsoleClient.For(_app).Http.GetAsync("/api/webchat/officers");
        var viewer = await ConsoleClient.SignedInAsync(_app, "viewer");
        using var asViewer = await viewer.Http.GetAsync("/api/webchat/officers");
        var admin = await ConsoleClient.SignedInAsync(_app, "admin");
        using var asAdmin = await admin.Http.GetAsync("/api/webchat/officers");

        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asViewer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
    }

    [Fact]
    public async Task An_officer_account_uses_only_its_own_web_chat_officer_view()
    {
        await _app.WithDbAsync(async db =>
        {
            db.Officers.Add(new OfficerRecord { Id = "w-20242", FullName = "Cán bộ web Hải Châu", UnitCode = "20242", Role = "officer", Channel = "web", ChatId = "officer-web-20242" });
            db.Officers.Add(new OfficerRecord { Id = "w2-20242", FullName = "Cán bộ web 2 Hải Châu", UnitCode = "20242", Role = "backup", Channel = "web", ChatId = "officer-web2-20242" });
            return await db.SaveChangesAsync();
        });
        _app.Services.GetRequiredService<TipBot.Server.Directory.DirectoryCache>().Invalidate();
        await ConsoleClient.CreateAccountAsync(_app, "web.haichau", ConsoleRole.Officer, "w-20242");
        var officer = await ConsoleClient.SignedInAsync(_app, "web.haichau");

        var listed = await officer.GetPageAsync("/api/webchat/officers");
        using var own = await officer.Http.GetAsync("/api/webchat/messages?chatId=officer-web-20242");
        using var colleague = await officer.Http.GetAsync("/api/webchat/messages?chatId=officer-web2-20242");
        using var anonymous = await ConsoleClient.For(_app).Http.GetAsync("/api/webchat/messages?chatId=officer-web-20242");

        Assert.Contains("officer-web-20242", listed);
        Assert.DoesNotContain("officer-web2-20242", listed);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, colleague.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
    }

    [Fact]
    public async Task Hangfire_is_for_admins_only()
    {
        var viewer = await ConsoleClient.SignedInAsync(_app, "viewer");
        var officer = await ConsoleClient.SignedInAsync(_app, "an.haichau");
        var admin = await ConsoleClient.SignedInAsync(_app, "admin");

        using var asViewer = await viewer.Http.GetAsync("/hangfire");
        using var asOfficer = await officer.Http.GetAsync("/hangfire");
        using var asAdmin = await admin.Http.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Forbidden, asViewer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, asOfficer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asAdmin.StatusCode);
        Assert.Contains("Hangfire", await asAdmin.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_admin_can_use_Hangfires_buttons_and_a_post_without_its_token_is_refused()
    {
        var admin = await ConsoleClient.SignedInAsync(_app, "admin");
        var page = await admin.Http.GetStringAsync("/hangfire/recurring");
        var header = System.Text.RegularExpressions.Regex.Match(page, "<meta name=\"csrf-header\" content=\"([^\"]+)\"").Groups[1].Value;
        var token = System.Text.RegularExpressions.Regex.Match(page, "<meta name=\"csrf-token\" content=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(header) || string.IsNullOrEmpty(token), "the dashboard carries an antiforgery token");
        FormUrlEncodedContent Trigger() => new([new("jobs[]", TipBot.Server.Privacy.PrivacyHandler.RecurringId)]);

        using var forged = await admin.Http.PostAsync("/hangfire/recurring/trigger", Trigger());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger") { Content = Trigger() };
        request.Headers.Add(header, token);
        using var pressed = await admin.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, pressed.StatusCode);
    }

    [Fact]
    public async Task A_viewer_sees_tips_but_cannot_act_on_them_or_reach_admin_pages()
    {
        var code = await _app.ReportTipAsync(ResidentScript.NewResident(), "Có người trộm xe máy ở phường Hải Châu, gần chợ", "time:today", "anon:no", "0905123456", "confirm:send");
        var tip = await AssignedTipAsync(code);
        var viewer = await ConsoleClient.SignedInAsync(_app, "viewer");
        var detail = $"/console/tips/{tip.Id}";

        Assert.Contains(code, await viewer.GetPageAsync("/console/tips"));
        Assert.DoesNotContain("show-identity", await viewer.GetPageAsync(detail));
        using var accept = await viewer.PostFormAsync(detail, detail + "?handler=accept", []);
        using var identity = await viewer.PostFormAsync(detail, detail + "?handler=identity", []);
        using var accounts = await viewer.Http.GetAsync("/console/accounts");
        using var notices = await viewer.Http.GetAsync("/console/notices/new");

        Assert.Equal(HttpStatusCode.Forbidden, accept.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, identity.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, accounts.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notices.StatusCode);
        Assert.Equal(TipStatus.Assigned, (await TipAsync(code)).Status);
        Assert.Equal(0, await _app.WithDbAsync(db => db.IdentityViews.CountAsync()));
    }

    [Fact]
    public async Task An_officer_sees_only_the_tips_of_their_units_in_the_list_the_detail_and_the_export()
    {
        var haiChau = await AssignedTipAsync(await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident()));
        var haiVan = await AssignedTipAsync(await _app.ReportTipAsync(ResidentScript.NewResident(), "Có người trộm xe máy ở phường Hải Vân", "time:today", "anon:yes", "confirm:send"));
        var cuong = await ConsoleClient.SignedInAsync(_app, "cuong.haivan");

        var list = await cuong.GetPageAsync("/console/tips");
        var filteredToOtherUnit = await cuong.GetPageAsync("/console/tips?unit=20242");
        var export = await cuong.GetPageAsync("/console/tips?handler=export");
        using var otherDetail = await cuong.Http.GetAsync($"/console/tips/{haiChau.Id}");
        using var ownDetail = await cuong.Http.GetAsync($"/console/tips/{haiVan.Id}");

        Assert.Contains(haiVan.Code, list);
        Assert.DoesNotContain(haiChau.Code, list);
        Assert.DoesNotContain(haiChau.Code, filteredToOtherUnit);
        Assert.Contains(haiVan.Code, export);
        Assert.DoesNotContain(haiChau.Code, export);
        Assert.Equal(HttpStatusCode.NotFound, otherDetail.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ownDetail.StatusCode);
    }

    [Fact]
    public async Task An_officers_dashboard_counts_only_the_tips_of_their_units()
    {
        var now = DateTime.UtcNow;
        await _app.WithDbAsync(async db =>
        {
            foreach (var (unit, hoursAgo, accepted) in new[] { ("20242", 50, true), ("20242", 40, false), ("20242", 30, true), ("20194", 20, true) })
            {
                var id = Guid.NewGuid();
                db.Tips.Add(new TipRecord
                {
                    Id = id, SubmissionId = Guid.NewGuid(), Code = "TB-" + id.ToString("N")[..8], Description = "Trộm xe máy", Category = "theft",
                    UnitCode = unit, AssignedUnitCode = unit, ReporterChannel = "telegram", ReporterKey = "k" + id, Culture = "vi",
                    Status = accepted ? TipStatus.Accepted : TipStatus.Assigned, ReceivedAt = now.AddHours(-hoursAgo),
                    AcceptedAt = accepted ? now.AddHours(-hoursAgo + 3) : null,
                });
                db.TipEvents.Add(new TipEventRecord { TipId = id, Kind = "escalated", At = now.AddHours(-hoursAgo + 1) });
            }
            return await db.SaveChangesAsync();
        });
        var cuong = await ConsoleClient.SignedInAsync(_app, "cuong.haivan");
        var admin = await ConsoleClient.SignedInAsync(_app, "admin");

        var own = await cuong.GetPageAsync("/console/dashboard");
        var all = await admin.GetPageAsync("/console/dashboard");

        Assert.Contains("<b id=\"stat-total\">1</b>", own);
        Assert.Contains("<b id=\"stat-escalations\">1</b>", own);
        Assert.Contains("<b id=\"stat-sla\">100 %</b>", own);
        Assert.Contains("data-unit=\"20194\" data-count=\"1\"", own);
        Assert.Contains("data-unit=\"20242\" data-count=\"0\"", own);
        Assert.Contains("<b id=\"stat-total\">4</b>", all);
        Assert.Contains("<b id=\"stat-escalations\">4</b>", all);
        Assert.Contains("<b id=\"stat-sla\">75 %</b>", all);
        Assert.Contains("data-unit=\"20242\" data-count=\"3\"", all);
    }

    [Fact]
    public async Task A_form_post_without_the_antiforgery_token_is_refused()
    {
        var admin = await ConsoleClient.SignedInAsync(_app, "admin");
        var anonymous = ConsoleClient.For(_app);

        using var signIn = await anonymous.PostFormAsync("/console/signin", "/console/signin", new() { ["UserName"] = "admin", ["Password"] = ConsoleClient.Password }, withToken: false);
        using var create = await admin.PostFormAsync("/console/accounts", "/console/accounts",
            new() { ["UserName"] = "intruder", ["Password"] = "long-enough-password", ["Role"] = "admin" }, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.Null(signIn.Headers.Location);
        Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
        Assert.False(await _app.WithDbAsync(db => db.ConsoleAccounts.AnyAsync(a => a.UserName == "intruder")));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var client = ConsoleClient.For(_app);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var wrong = await client.SignInAsync("an.haichau", "wrong-password-" + attempt);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var right = await client.SignInAsync("an.haichau", ConsoleClient.Password);
        using var tips = await client.Http.GetAsync("/console/tips");

        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Equal(Text("vi", "ErrorSignIn"), await SignInErrorAsync(right));
        Assert.Equal(HttpStatusCode.Redirect, tips.StatusCode);
        var account = await _app.WithDbAsync(db => db.ConsoleAccounts.AsNoTracking().SingleAsync(a => a.UserName == "an.haichau"));
        Assert.True(account.LockoutUntil > DateTime.UtcNow.AddMinutes(14));
        Assert.Contains(_logs.Lines, l => l.StartsWith("Warning") && l.Contains("an.haichau locked for 15 minutes"));
        Assert.Contains(_logs.Lines, l => l.StartsWith("Warning") && l.Contains("sign-in to an.haichau refused: locked"));
        // Another account is not affected.
        await ConsoleClient.SignedInAsync(_app, "cuong.haivan");
    }

    [Theory]
    [InlineData("vi")]
    [InlineData("en")]
    public async Task A_locked_account_an_unknown_name_and_a_wrong_password_get_the_same_answer(string culture)
    {
        var guesser = ConsoleClient.For(_app);
        for (var attempt = 1; attempt <= AdminConsole.Accounts.ConsoleAccounts.MaxFailedAttempts; attempt++) (await guesser.SignInAsync("an.haichau", "wrong-password-" + attempt)).Dispose();
        var client = ConsoleClient.For(_app);
        (await client.Http.GetAsync($"/console/language?culture={culture}&returnUrl=/console/signin")).Dispose();

        using var locked = await client.SignInAsync("an.haichau", ConsoleClient.Password);
        using var unknown = await client.SignInAsync("nobody.here", ConsoleClient.Password);
        using var wrong = await client.SignInAsync("cuong.haivan", "not-the-password");

        var answers = new[] { locked, unknown, wrong };
        Assert.All(answers, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        foreach (var answer in answers) Assert.Equal(Text(culture, "ErrorSignIn"), await SignInErrorAsync(answer));
        Assert.True((await _app.WithDbAsync(db => db.ConsoleAccounts.AsNoTracking().SingleAsync(a => a.UserName == "an.haichau"))).LockoutUntil > DateTime.UtcNow);
    }

    [Fact]
    public async Task Changing_the_password_refuses_a_wrong_current_password_and_a_mismatch()
    {
        var viewer = await ConsoleClient.SignedInAsync(_app, "viewer");

        using var wrongCurrent = await viewer.PostFormAsync("/console/password", "/console/password",
            new() { ["CurrentPassword"] = "not-the-password", ["NewPassword"] = "a-brand-new-password", ["RepeatPassword"] = "a-brand-new-password" });
        using var mismatch = await viewer.PostFormAsync("/console/password", "/console/password",
            new() { ["CurrentPassword"] = ConsoleClient.Password, ["NewPassword"] = "a-brand-new-password", ["RepeatPassword"] = "a-brand-new-passw0rd" });
        using var tooShort = await viewer.PostFormAsync("/console/password", "/console/password",
            new() { ["CurrentPassword"] = ConsoleClient.Password, ["NewPassword"] = "short", ["RepeatPassword"] = "short" });
        using var withoutToken = await viewer.PostFormAsync("/console/password", "/console/password",
            new() { ["CurrentPassword"] = ConsoleClient.Password, ["NewPassword"] = "a-brand-new-password", ["RepeatPassword"] = "a-brand-new-password" }, withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, wrongCurrent.StatusCode);
        Assert.Contains(Text("vi", "ErrorCurrentPassword"), await wrongCurrent.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
        Assert.Contains(Text("vi", "ErrorPasswordMismatch"), await mismatch.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Contains(Text("vi", "ErrorPasswordShort"), await tooShort.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(1, (await _app.WithDbAsync(db => db.ConsoleAccounts.AsNoTracking().SingleAsync(a => a.UserName == "viewer"))).FailedAttempts);
        // Nothing changed: the old password still works, the new one does not.
        await ConsoleClient.SignedInAsync(_app, "viewer");
        using var withNew = await ConsoleClient.For(_app).SignInAsync("viewer", "a-brand-new-password");
        Assert.Equal(HttpStatusCode.Unauthorized, withNew.StatusCode);
    }

    [Fact]
    public async Task A_changed_password_signs_in_the_old_one_does_not_and_other_sessions_end()
    {
        var here = await ConsoleClient.SignedInAsync(_app, "an.haichau");
        var elsewhere = await ConsoleClient.SignedInAsync(_app, "an.haichau");
        Assert.Contains("/console/password", await here.GetPageAsync("/console/tips")); // linked from the layout

        using var changed = await here.PostFormAsync("/console/password", "/console/password",
            new() { ["CurrentPassword"] = ConsoleClient.Password, ["NewPassword"] = "a-brand-new-password", ["RepeatPassword"] = "a-brand-new-password" });
        using var hereAfter = await here.Http.GetAsync("/console/tips");
        using var elsewhereAfter = await elsewhere.Http.GetAsync("/console/tips");
        using var withOld = await ConsoleClient.For(_app).SignInAsync("an.haichau", ConsoleClient.Password);

        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Contains(Text("vi", "PasswordChanged"), await changed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, hereAfter.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, elsewhereAfter.StatusCode);
        Assert.Equal("/console/signin", elsewhereAfter.Headers.Location!.AbsolutePath);
        Assert.Equal(HttpStatusCode.Unauthorized, withOld.StatusCode);
        await ConsoleClient.SignedInAsync(_app, "an.haichau", "a-brand-new-password");
    }

    /// <summary>The console's text for a key in a culture (none of these has a character HTML would escape).</summary>
    private static string Text(string culture, string key)
    {
        var previous = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo(culture);
        try { return AdminConsole.ConsoleText.Text(key); }
        finally { System.Globalization.CultureInfo.CurrentUICulture = previous; }
    }

    private static async Task<string> SignInErrorAsync(HttpResponseMessage response) =>
        Regex.Match(await response.Content.ReadAsStringAsync(), "<p class=\"error\" id=\"sign-in-error\">([^<]*)</p>").Groups[1].Value;

    [Fact]
    public async Task One_address_trying_many_accounts_is_slowed_down_with_429()
    {
        var client = ConsoleClient.For(_app);
        for (var attempt = 1; attempt <= AdminConsole.Accounts.SignInThrottle.PerMinute; attempt++)
        {
            using var wrong = await client.SignInAsync($"guess{attempt}", "password-" + attempt);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var refused = await client.SignInAsync("an.haichau", ConsoleClient.Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("sign-in-error", await refused.Content.ReadAsStringAsync());
        var account = await _app.WithDbAsync(db => db.ConsoleAccounts.AsNoTracking().SingleAsync(a => a.UserName == "an.haichau"));
        Assert.Equal(0, account.FailedAttempts); // refused before the password was looked at
    }

    [Fact]
    public async Task An_admin_unlocks_a_locked_account_and_a_removed_accounts_session_ends_at_once()
    {
        var viewer = await ConsoleClient.SignedInAsync(_app, "viewer");
        var locked = ConsoleClient.For(_app);
        for (var attempt = 1; attempt <= 5; attempt++) (await locked.SignInAsync("an.haichau", "wrong-password")).Dispose();
        var admin = await ConsoleClient.SignedInAsync(_app, "admin");
        var ids = await _app.WithDbAsync(db => db.ConsoleAccounts.ToDictionaryAsync(a => a.UserName, a => a.Id.ToString()));

        using var unlocked = await admin.PostFormAsync("/console/accounts", "/console/accounts?handler=unlock", new() { ["accountId"] = ids["an.haichau"] });
        using var removed = await admin.PostFormAsync("/console/accounts", "/console/accounts?handler=remove", new() { ["accountId"] = ids["viewer"] });
        using var self = await admin.PostFormAsync("/console/accounts", "/console/accounts?handler=remove", new() { ["accountId"] = ids["admin"] });
        using var viewerAfter = await viewer.Http.GetAsync("/console/tips");

        Assert.Equal(HttpStatusCode.OK, unlocked.StatusCode);
        await ConsoleClient.SignedInAsync(_app, "an.haichau");
        Assert.Equal(HttpStatusCode.Redirect, viewerAfter.StatusCode);
        Assert.Equal("/console/signin", viewerAfter.Headers.Location!.AbsolutePath);
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        Assert.True(await _app.WithDbAsync(db => db.ConsoleAccounts.AnyAsync(a => a.UserName == "admin")));
    }

    [Fact]
    public async Task Showing_a_consenting_tipsters_phone_is_a_post_and_is_written_to_the_audit()
    {
        var code = await _app.ReportTipAsync(ResidentScript.NewResident(), "Có người trộm xe máy ở phường Hải Châu, gần chợ", "time:today", "anon:no", "0905123456", "confirm:send");
        var tip = await AssignedTipAsync(code);
        var an = await ConsoleClient.SignedInAsync(_app, "an.haichau");
        var detail = $"/console/tips/{tip.Id}";

        var before = await an.GetPageAsync(detail);
        using var shown = await an.PostFormAsync(detail, detail + "?handler=identity", []);
        var page = await shown.Content.ReadAsStringAsync();

        Assert.DoesNotContain("0905123456", before);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains("0905123456", page);
        var audit = await _app.WithDbAsync(db => db.IdentityViews.AsNoTracking().ToListAsync());
        Assert.Equal((tip.Id, "an.haichau"), (Assert.Single(audit).TipId, audit[0].UserName));
        Assert.Contains("an.haichau", await an.GetPageAsync(detail)); // the audit is on the page
    }

    [Fact]
    public async Task An_anonymous_tipsters_identity_is_never_shown()
    {
        var tip = await AssignedTipAsync(await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident()));
        var admin = await ConsoleClient.SignedInAsync(_app, "admin");
        var detail = $"/console/tips/{tip.Id}";

        using var shown = await admin.PostFormAsync(detail, detail + "?handler=identity", []);

        Assert.Contains("no-contact", await shown.Content.ReadAsStringAsync());
        Assert.Equal(0, await _app.WithDbAsync(db => db.IdentityViews.CountAsync()));
    }

    [Fact]
    public async Task An_officer_accepts_and_resolves_a_tip_from_the_web_through_the_chat_handlers()
    {
        var resident = ResidentScript.NewResident();
        var code = await _app.ReportDrugTipInHaiChauAsync(resident);
        var tip = await AssignedTipAsync(code);
        var an = await ConsoleClient.SignedInAsync(_app, "an.haichau");
        var cuong = await ConsoleClient.SignedInAsync(_app, "cuong.haivan");
        var detail = $"/console/tips/{tip.Id}";

        using var notHis = await cuong.Http.PostAsync(detail + "?handler=accept", new FormUrlEncodedContent([]));
        using var accepted = await an.PostFormAsync(detail, detail + "?handler=accept", []);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal((TipStatus.Accepted, "o-20242"), ((await TipAsync(code)).Status, (await TipAsync(code)).AcceptedByOfficerId));
        await _app.MessageAsync(resident, m => m.Text.Contains(code) && m.Text.Contains("Phường Hải Châu"), "resident told the unit took it");

        using var resolved = await an.PostFormAsync(detail, detail + "?handler=resolve", new() { ["outcome"] = "verified" });
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        Assert.Equal((TipStatus.Resolved, "verified"), ((await TipAsync(code)).Status, (await TipAsync(code)).Outcome));
        Assert.Equal(HttpStatusCode.BadRequest, notHis.StatusCode); // no antiforgery token: refused before anything else
    }

    [Fact]
    public async Task Not_my_area_from_the_web_passes_the_tip_to_the_named_unit_and_its_officer()
    {
        var code = await _app.ReportDrugTipInHaiChauAsync(ResidentScript.NewResident());
        var tip = await AssignedTipAsync(code);
        var an = await ConsoleClient.SignedInAsync(_app, "an.haichau");
        var detail = $"/console/tips/{tip.Id}";

        using var passed = await an.PostFormAsync(detail, detail + "?handler=reassign", new() { ["unitCode"] = "20257" });

        Assert.Equal(HttpStatusCode.Redirect, passed.StatusCode);
        Assert.Equal("/console/tips", passed.Headers.Location!.OriginalString);
        await _app.AlertForAsync(TipBotApp.HoaCuongOfficer, code);
        Assert.Equal("20257", (await TipAsync(code)).UnitCode);
        using var gone = await an.Http.GetAsync(detail); // no longer An's unit's tip
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task An_admin_creates_an_officer_account_that_can_then_sign_in()
    {
        var admin = await ConsoleClient.SignedInAsync(_app, "admin");

        using var created = await admin.PostFormAsync("/console/accounts", "/console/accounts", new()
        {
            ["UserName"] = "Binh.HoaCuong", ["Password"] = "another-long-password", ["Role"] = "officer", ["OfficerId"] = "o-20257", ["UnitCodes"] = "",
        });
        using var badOfficer = await admin.PostFormAsync("/console/accounts", "/console/accounts", new()
        {
            ["UserName"] = "nobody", ["Password"] = "another-long-password", ["Role"] = "officer", ["OfficerId"] = "o-missing",
        });

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badOfficer.StatusCode);
        var account = await _app.WithDbAsync(db => db.ConsoleAccounts.AsNoTracking().SingleAsync(a => a.UserName == "binh.hoacuong"));
        Assert.Equal((ConsoleRole.Officer, "o-20257", "20257"), (account.Role, account.OfficerId, account.UnitCodes));
        Assert.NotEqual("another-long-password", account.PasswordHash);
        await ConsoleClient.SignedInAsync(_app, "binh.hoacuong", "another-long-password");
    }

    private Task<TipRecord> TipAsync(string code) => _app.WithDbAsync(db => db.Tips.AsNoTracking().SingleAsync(t => t.Code == code));

    private Task<TipRecord> AssignedTipAsync(string code) =>
        Eventually.Get(() => TipAsync(code), t => t.Status == TipStatus.Assigned && t.AssignedUnitCode is not null, $"{code} routed");
}

public sealed class ConsoleAuthorizationOnEmbeddedStores() : ConsoleAuthorizationTests(StoreMode.Embedded);

public sealed class ConsoleAuthorizationOnRedisAndPostgres() : ConsoleAuthorizationTests(StoreMode.Production);
