using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FourSite.Testing;
using Xunit;

namespace FourSite.System.Tests;

/// <summary>
/// Accounts through the whole platform: an impostor's site of someone else's repository, its leads masked, taken over by
/// the repository's maintainer (who then sees the emails), and every owner call refused to every other account.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class MaintainerOwnershipTests(PlatformApp platform)
{
    private static async Task<JsonElement> GenerateAsync(Browser browser, string repository)
    {
        using var response = await browser.Client.PostAsJsonAsync("/api/generate", new { repoUrl = $"https://github.com/{repository}" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Every owner call on <paramref name="siteId"/>, as <paramref name="browser"/>'s account, with the status each answered.</summary>
    private static async Task<Dictionary<string, HttpStatusCode>> OwnerCallsAsync(Browser browser, Guid siteId)
    {
        async Task<HttpStatusCode> Send(HttpMethod method, string path, object? body = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            using var response = await browser.Client.SendAsync(request);
            return response.StatusCode;
        }

        return new Dictionary<string, HttpStatusCode>
        {
            ["read leads"] = await Send(HttpMethod.Get, $"/api/leads?siteId={siteId}"),
            ["claim"] = await Send(HttpMethod.Post, $"/api/sites/{siteId}/claim"),
            ["verify"] = await Send(HttpMethod.Post, $"/api/sites/{siteId}/verify"),
            ["check out"] = await Send(HttpMethod.Post, "/api/billing/checkout", new { siteId, plan = "pro" }),
            ["referral code"] = await Send(HttpMethod.Post, $"/api/referrals?siteId={siteId}"),
            ["remove"] = await Send(HttpMethod.Delete, $"/api/sites/{siteId}"),
        };
    }

    [Fact]
    public async Task A_maintainer_takes_over_an_impostors_site_and_no_other_account_can_act_on_it()
    {
        platform.GitHub.AddRepository("famous-org", "famous-lib", description: "Everyone uses it");
        platform.GitHub.Grant("maintainer-mia", "famous-org", "famous-lib", "maintain");
        using var impostor = new Browser(platform);
        using var stranger = new Browser(platform);
        using var maintainer = new Browser(platform);
        await impostor.SignInAsync("impostor-ivan");
        await stranger.SignInAsync("stranger-stan");
        await maintainer.SignInAsync("maintainer-mia");

        var site = await GenerateAsync(impostor, "famous-org/famous-lib");
        var siteId = site.GetProperty("siteId").GetGuid();
        using var anonymous = platform.CreateGatewayClient();
        using var capture = await anonymous.PostAsJsonAsync("/api/leads/capture", new { email = "fan@users.example", siteId, newsletterOptIn = true });
        Assert.Equal(HttpStatusCode.Created, capture.StatusCode);

        // The impostor sees that a lead came, not who it is.
        var masked = await Eventually.ReturnsAsync(() => impostor.Client.GetFromJsonAsync<JsonElement>($"/api/leads?siteId={siteId}"), leads => leads.GetArrayLength() == 1);
        Assert.Equal("f***@users.example", masked[0].GetProperty("email").GetString());

        // Another account can do nothing with it; the maintainer, before verifying, neither.
        var refused = await OwnerCallsAsync(stranger, siteId);
        Assert.Equal(HttpStatusCode.Forbidden, refused["read leads"]);
        Assert.Equal(HttpStatusCode.Forbidden, refused["claim"]);
        Assert.Equal(HttpStatusCode.Forbidden, refused["verify"]);
        Assert.Equal(HttpStatusCode.Forbidden, refused["check out"]);
        Assert.Equal(HttpStatusCode.Forbidden, refused["referral code"]);
        Assert.Equal(HttpStatusCode.Forbidden, refused["remove"]);

        using var takeover = await maintainer.Client.PostAsync($"/api/sites/{siteId}/verify", null);
        var verified = await takeover.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, takeover.StatusCode);
        Assert.Equal("maintain", verified.GetProperty("permission").GetString());
        Assert.True(verified.GetProperty("takenOver").GetBoolean());

        // The maintainer now reads the emails; the impostor (account or token) is out.
        var emails = await Eventually.ReturnsAsync(() => maintainer.Client.GetFromJsonAsync<JsonElement>($"/api/leads?siteId={siteId}"),
            leads => leads.GetArrayLength() == 1 && leads[0].GetProperty("email").GetString() == "fan@users.example");
        Assert.Equal("fan@users.example", emails[0].GetProperty("email").GetString());
        var impostorNow = await Eventually.ReturnsAsync(() => OwnerCallsAsync(impostor, siteId),
            calls => calls.Values.All(status => status == HttpStatusCode.Forbidden), TimeSpan.FromSeconds(20));
        Assert.All(impostorNow, call => Assert.Equal(HttpStatusCode.Forbidden, call.Value));
        using var withToken = new HttpRequestMessage(HttpMethod.Get, $"/api/leads?siteId={siteId}");
        withToken.Headers.Authorization = new("Bearer", site.GetProperty("ownerToken").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.SendAsync(withToken)).StatusCode);

        var mine = await maintainer.Client.GetFromJsonAsync<JsonElement>("/api/sites");
        Assert.Contains(mine.EnumerateArray(), entry => entry.GetProperty("siteId").GetGuid() == siteId && entry.GetProperty("verified").GetBoolean());
        var referral = await Eventually.ReturnsAsync(() => maintainer.Client.PostAsync($"/api/referrals?siteId={siteId}", null),
            response => response.StatusCode == HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.Created, referral.StatusCode);
    }

    [Fact]
    public async Task A_site_made_anonymously_is_claimed_on_sign_in_and_erasing_the_account_removes_it()
    {
        platform.GitHub.AddRepository("octo", "claim-me");
        using var anonymous = platform.CreateGatewayClient();
        using var generated = await anonymous.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/claim-me" });
        var site = await generated.Content.ReadFromJsonAsync<JsonElement>();
        var siteId = site.GetProperty("siteId").GetGuid();
        using var browser = new Browser(platform);
        await browser.SignInAsync("claimer-clara");

        using var claim = new HttpRequestMessage(HttpMethod.Post, $"/api/sites/{siteId}/claim");
        claim.Headers.Authorization = new("Bearer", site.GetProperty("ownerToken").GetString());
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.SendAsync(claim)).StatusCode);
        var mine = await browser.Client.GetFromJsonAsync<JsonElement>("/api/sites");
        Assert.Contains(mine.EnumerateArray(), entry => entry.GetProperty("siteId").GetGuid() == siteId);

        using var erase = await browser.Client.DeleteAsync("/api/me");

        Assert.Equal(HttpStatusCode.NoContent, erase.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Client.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/sites/{siteId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(site.GetProperty("siteUrl").GetString())).StatusCode);
    }
}
