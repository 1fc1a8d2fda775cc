using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using TipBot.Server.AdminConsole.Accounts;
using TipBot.Server.Tests.Infrastructure;

namespace TipBot.Server.Tests.Console;

/// <summary>A browser-like HTTP client for the console: keeps cookies, reads antiforgery tokens from forms, never follows redirects.</summary>
public sealed partial class ConsoleClient(HttpClient http)
{
    public const string Password = "correct-horse-battery";

    public HttpClient Http { get; } = http;

    public static ConsoleClient For(TipBotApp app) =>
        new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    public static async Task CreateAccountAsync(TipBotApp app, string user, string role, string? officerId = null, params string[] units)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var error = await scope.ServiceProvider.GetRequiredService<ConsoleAccounts>()
            .CreateAsync(new NewAccount(user, Password, role, units, officerId), CancellationToken.None);
        Assert.Null(error);
    }

    public static async Task<ConsoleClient> SignedInAsync(TipBotApp app, string user, string password = Password)
    {
        var client = For(app);
        using var response = await client.SignInAsync(user, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public Task<HttpResponseMessage> SignInAsync(string user, string password) =>
        PostFormAsync("/console/signin", "/console/signin", new() { ["UserName"] = user, ["Password"] = password });

    /// <summary>Loads the page that holds the form, then posts the form with that page's antiforgery token.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPage, string action, Dictionary<string, string> fields, bool withToken = true)
    {
        var page = await Http.GetStringAsync(formPage);
        if (withToken) fields["__RequestVerificationToken"] = TokenPattern().Match(page).Groups[1].Value;
        return await Http.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    public async Task<string> GetPageAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
