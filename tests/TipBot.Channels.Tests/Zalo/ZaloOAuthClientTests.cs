using System.Net;
using Microsoft.Extensions.Options;
using TipBot.Channels.Zalo;
using static TipBot.Channels.Tests.Zalo.ZaloSamples;

namespace TipBot.Channels.Tests.Zalo;

public class ZaloOAuthClientTests
{
    private static (ZaloOAuthClient Client, StubHttp Http) Create(Func<RecordedRequest, int, HttpResponseMessage> answer)
    {
        var http = new StubHttp(answer);
        var options = Options.Create(new ZaloOptions { AppId = AppId, AppSecret = "app-secret-key", OAuthBaseUrl = "https://oauth.example.test/" });
        return (new ZaloOAuthClient(http.Client(), options), http);
    }

    [Fact]
    public async Task A_refresh_posts_the_form_with_the_secret_key_header_and_reads_the_new_pair()
    {
        var (client, http) = Create((_, _) => StubHttp.Json("""{"access_token":"new-access","refresh_token":"new-refresh","expires_in":"90000"}"""));

        var pair = await client.RefreshAsync("old-refresh", CancellationToken.None);

        Assert.Equal(new ZaloTokenPair("new-access", "new-refresh", TimeSpan.FromSeconds(90000)), pair);
        var request = Assert.Single(http.Requests);
        Assert.Equal("https://oauth.example.test/v4/oa/access_token", request.Uri.ToString());
        Assert.Equal("app-secret-key", request.Headers["secret_key"]);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Headers["Content-Type"]);
        Assert.Equal($"refresh_token=old-refresh&app_id={AppId}&grant_type=refresh_token", request.Body);
    }

    [Fact]
    public async Task A_refused_refresh_token_is_a_permanent_failure()
    {
        var (client, _) = Create((_, _) => StubHttp.Json("""{"error_name":"Invalid parameter","error_reason":"Invalid refresh token","error":-14014}"""));

        var e = await Assert.ThrowsAsync<ChannelSendException>(() => client.RefreshAsync("spent", CancellationToken.None));

        Assert.Equal(SendFailure.Permanent, e.Failure);
    }

    [Fact]
    public async Task A_server_error_during_refresh_is_transient()
    {
        var (client, _) = Create((_, _) => new HttpResponseMessage(HttpStatusCode.BadGateway));

        var e = await Assert.ThrowsAsync<ChannelSendException>(() => client.RefreshAsync("old-refresh", CancellationToken.None));

        Assert.Equal(SendFailure.Transient, e.Failure);
    }
}
