using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FourSite.StandIns;
using FourSite.Testing;
using FourSite.Testing.Fakes;
using Xunit;

namespace FourSite.System.Tests;

/// <summary>
/// Signing in with GitHub at the gateway (against GitHub's stand-in), sessions, the account on the services, and object-level
/// authorisation of every owner call between two accounts.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SignInThroughGatewayTests(PlatformApp platform)
{
    [Fact]
    public async Task Login_redirects_to_GitHub_with_state_PKCE_and_the_account_hint()
    {
        using var browser = new Browser(platform);

        using var start = await browser.Client.GetAsync("/auth/github/login?returnUrl=/dashboard&login=hinted-user");
        var query = Browser.QueryOf(start.Headers.Location!);

        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.Equal(GitHubStandIn.ClientId, query["client_id"]);
        Assert.Equal("hinted-user", query["login"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(query["code_challenge"]));
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.EndsWith("/auth/github/callback", query["redirect_uri"]);
    }

    [Fact]
    public async Task A_signed_in_maintainer_has_a_session_an_account_and_can_sign_out_for_good()
    {
        using var browser = new Browser(platform);
        platform.GitHub.AddUser("session-sam", "Sam Session");

        var landing = await browser.SignInAsync("session-sam", "/dashboard?tab=sites");
        var me = await browser.MeAsync();
        var cookie = browser.Cookies.GetCookies(browser.Client.BaseAddress!)["foursite-session"]!;

        Assert.Equal("/dashboard?tab=sites", landing);
        Assert.Equal("session-sam", me.GetProperty("login").GetString());
        Assert.Equal("Sam Session", me.GetProperty("name").GetString());
        Assert.NotEqual(Guid.Empty, me.GetProperty("accountId").GetGuid());
        Assert.True(cookie.HttpOnly);
        // The cookie is a session id, not the session: nothing of the account or the GitHub token is in it.
        Assert.DoesNotContain("session-sam", cookie.Value, StringComparison.OrdinalIgnoreCase);

        // A second sign-in of the same GitHub user is the same account, with a new session id.
        using var other = new Browser(platform);
        await other.SignInAsync("session-sam");
        Assert.Equal(me.GetProperty("accountId").GetGuid(), (await other.MeAsync()).GetProperty("accountId").GetGuid());
        Assert.NotEqual(cookie.Value, other.Cookies.GetCookies(other.Client.BaseAddress!)["foursite-session"]!.Value);

        using var logout = await browser.Client.PostAsync("/auth/logout", null);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        // The old cookie, replayed, no longer signs anyone in: the session ended on the server too.
        using var replay = new HttpClient { BaseAddress = browser.Client.BaseAddress };
        replay.DefaultRequestHeaders.Add("Cookie", $"foursite-session={cookie.Value}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.Client.GetAsync("/api/me")).StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example")]
    [InlineData("javascript:alert(1)")]
    public async Task Sign_in_never_redirects_off_the_platform(string returnUrl)
    {
        using var browser = new Browser(platform);

        Assert.Equal("/dashboard", await browser.SignInAsync("wanderer", returnUrl));
    }

    [Fact]
    public async Task A_wrong_or_replayed_state_is_a_400()
    {
        using var browser = new Browser(platform);
        using var start = await browser.Client.GetAsync("/auth/github/login?login=replayer");
        using var gitHub = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var approved = await gitHub.GetAsync(start.Headers.Location);
        var callback = approved.Headers.Location!.PathAndQuery;

        using var forged = await browser.Client.GetAsync(callback.Replace("state=", "state=x", StringComparison.Ordinal));
        using var first = await browser.Client.GetAsync(callback);
        using var replayed = await browser.Client.GetAsync(callback);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replayed.StatusCode);
        Assert.Equal("sign_in_failed", (await replayed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Without_a_session_me_is_401_and_a_cross_site_post_with_one_is_refused()
    {
        using var anonymous = platform.CreateGatewayClient();
        using var browser = new Browser(platform);
        await browser.SignInAsync("csrf-carol");

        using var me = await anonymous.GetAsync("/api/me");
        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/auth/logout");
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var refused = await browser.Client.SendAsync(crossSite);
        using var fromOtherOrigin = new HttpRequestMessage(HttpMethod.Delete, "/api/me");
        fromOtherOrigin.Headers.Add("Origin", "https://evil.example");
        using var erasureRefused = await browser.Client.SendAsync(fromOtherOrigin);

        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, erasureRefused.StatusCode);
        Assert.Equal("cross_site_request", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task A_client_cannot_pass_itself_off_as_an_account()
    {
        using var browser = new Browser(platform);
        await browser.SignInAsync("victim-vic");
        var victim = (await browser.MeAsync()).GetProperty("accountId").GetGuid();
        platform.GitHub.AddRepository("octo", "forged-header");
        using var generated = await browser.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/forged-header" });
        Assert.Equal(HttpStatusCode.OK, generated.StatusCode);

        // A token signed with another key, in the header the gateway uses, reaches the service stripped.
        using var attacker = platform.CreateGatewayClient();
        attacker.DefaultRequestHeaders.Add("X-FourSite-Account", TestAccounts.Token("generation", victim));
        using var sites = await attacker.GetAsync("/api/sites");

        Assert.Equal(HttpStatusCode.Unauthorized, sites.StatusCode);
        var mine = await browser.Client.GetFromJsonAsync<JsonElement>("/api/sites");
        Assert.Single(mine.EnumerateArray());
    }

    [Fact]
    public async Task A_listed_operator_signs_in_for_the_operator_calls_and_nobody_else_does()
    {
        using var operatorBrowser = new Browser(platform);
        using var maintainer = new Browser(platform);
        await operatorBrowser.SignInAsync(PlatformApp.OperatorLogin);
        await maintainer.SignInAsync("not-an-operator");

        Assert.True((await operatorBrowser.MeAsync()).GetProperty("operator").GetBoolean());
        Assert.False((await maintainer.MeAsync()).GetProperty("operator").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await operatorBrowser.Client.GetAsync("/api/dashboard/realtime")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await maintainer.Client.GetAsync("/api/dashboard/realtime")).StatusCode);
        // The gateway's own operator calls (slot routing, on /ops) too.
        Assert.Equal(HttpStatusCode.OK, (await operatorBrowser.Client.GetAsync("/admin/slots")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await maintainer.Client.GetAsync("/admin/slots")).StatusCode);
        // The key itself never reaches the operator's browser.
        var body = await (await operatorBrowser.Client.GetAsync("/api/me")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(PlatformApp.OperatorKey, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starting_sign_ins_is_rate_limited_per_client()
    {
        using var browser = new Browser(platform);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 15; i++)
        {
            using var response = await browser.Client.GetAsync("/auth/github/login?returnUrl=/dashboard");
            statuses.Add(response.StatusCode);
        }

        Assert.Contains(HttpStatusCode.Redirect, statuses);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
    }

    [Fact]
    public async Task The_dotnet_client_acts_for_a_signed_in_account()
    {
        using var browser = new Browser(platform);
        await browser.SignInAsync("client-cleo");
        platform.GitHub.AddRepository("octo", "client-claimed");
        using var anonymous = platform.CreateGatewayClient();
        var api = FourSite.Client.FourSiteClient.For(browser.Client);
        var generated = (await FourSite.Client.FourSiteClient.For(anonymous).GenerateAsync(new FourSite.Client.GenerateRequest("https://github.com/octo/client-claimed"))).Content;
        var siteId = generated.GetProperty("siteId").GetGuid();

        var me = await api.GetMeAsync();
        var claim = await api.ClaimSiteAsync(siteId, generated.GetProperty("ownerToken").GetString()!);
        var mine = await api.GetMySitesAsync();
        var notMaintainer = await api.VerifySiteAsync(siteId);
        var signOut = await api.SignOutAsync();

        Assert.Equal("client-cleo", me.Content.GetProperty("login").GetString());
        Assert.Equal(HttpStatusCode.OK, claim.StatusCode);
        Assert.Contains(mine.Content.EnumerateArray(), site => site.GetProperty("siteId").GetGuid() == siteId);
        Assert.Equal(HttpStatusCode.Forbidden, notMaintainer.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetMeAsync()).StatusCode);
    }
}
