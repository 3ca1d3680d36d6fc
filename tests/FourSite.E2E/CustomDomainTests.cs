using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FourSite.System.Tests;
using FourSite.Testing;
using FourSite.Testing.Fakes;
using Microsoft.Playwright;
using Xunit;

namespace FourSite.E2E;

/// <summary>
/// A Pro site's custom domain, end to end: the owner adds it, proves it with a TXT record (a DNS server on loopback),
/// and headless Chromium opens it over HTTPS through Caddy's on-demand TLS in front of the gateway and sees the site, with
/// its headers and share tracking; a domain nobody verified gets no certificate, and the gateway answers it 404.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class CustomDomainTests(PlatformApp platform) : BrowserTests(platform)
{
    private const string Domain = "docs.kite-launch.org";

    private async Task<HttpResponseMessage> AsOwnerAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var client = Platform.CreateGatewayClient();
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("Authorization", $"Bearer {token}");
        return await client.SendAsync(request);
    }

    /// <summary>A site made Pro by Stripe's signed checkout event, once Generation knows it is.</summary>
    private async Task<(string SiteId, string Slug, string Token)> ProSiteAsync(string name)
    {
        var site = await GenerateAsync(name);
        var (siteId, slug, token) = (site.GetProperty("siteId").GetString()!, site.GetProperty("slug").GetString()!, site.GetProperty("ownerToken").GetString()!);
        using var client = Platform.CreateGatewayClient();
        await Eventually.ReturnsAsync(() => client.GetAsync($"/api/viral/sites/{siteId}"), response => response.StatusCode == HttpStatusCode.OK);
        var metadata = new Dictionary<string, string> { ["site_id"] = siteId, ["owner_id"] = site.GetProperty("ownerId").GetString()!, ["plan"] = "pro" };
        var checkout = StripeFake.CheckoutCompleted($"evt_{Guid.NewGuid():N}", $"cs_{Guid.NewGuid():N}", metadata, 1_900, $"sub_{siteId}", $"in_{siteId}", "cus_domains");
        await DeliverStripeEventAsync(checkout);
        var pro = await Eventually.ReturnsAsync(async () =>
        {
            using var details = await AsOwnerAsync(HttpMethod.Get, $"/api/sites/{siteId}", token);
            return (await details.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("pro").GetProperty("active").GetBoolean();
        }, active => active);
        Assert.True(pro);
        return (siteId, slug, token);
    }

    [Fact]
    public async Task A_verified_custom_domain_is_served_over_tls_through_caddy_and_an_unverified_one_is_not()
    {
        var (siteId, slug, token) = await ProSiteAsync("launch-docs");
        using var added = await AsOwnerAsync(HttpMethod.Post, $"/api/sites/{siteId}/domains", token, new { domain = Domain });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var verification = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verification");
        Platform.Dns.SetTxt(verification.GetProperty("name").GetString()!, verification.GetProperty("value").GetString()!);
        using var verified = await AsOwnerAsync(HttpMethod.Post, $"/api/sites/{siteId}/domains/{Domain}/verify", token);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        // Someone else's domain, claimed but never proven.
        using var pending = await AsOwnerAsync(HttpMethod.Post, $"/api/sites/{siteId}/domains", token, new { domain = "unproven.kite-launch.org" });
        Assert.Equal(HttpStatusCode.Created, pending.StatusCode);

        await using var caddy = await CaddyServer.StartAsync(Gateway.Authority);
        var (playwright, browser) = await Chromium.LaunchAsync("--host-resolver-rules=MAP *.kite-launch.org 127.0.0.1");
        try
        {
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
            var page = await context.NewPageAsync();
            var response = await page.GotoAsync($"https://{Domain}:{caddy.HttpsPort}/");
            Assert.NotNull(response);
            Assert.Equal(200, response.Status);
            Assert.Equal($"https://{Domain}:{caddy.HttpsPort}/", page.Url);
            await Assertions.Expect(page.GetByTestId("email-input")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("footer")).ToContainTextAsync("octo/launch-docs");
            await Assertions.Expect(page.Locator("footer")).Not.ToContainTextAsync("Made with");
            using var client = Platform.CreateGatewayClient();
            using var onPlatform = await client.GetAsync($"/s/{slug}");
            Assert.Equal(onPlatform.Content.Headers.ContentType?.ToString(), response.Headers["content-type"]);
            Assert.Equal(string.Join(",", onPlatform.Headers.GetValues("Content-Security-Policy")), response.Headers["content-security-policy"]);
            await Chromium.ScreenshotAsync(page, "custom-domain");

            // Shares from the custom domain count for the site.
            await page.GetByTestId("share-hackernews").ClickAsync();
            var stats = await Eventually.ReturnsAsync(() => client.GetFromJsonAsync<JsonElement>($"/api/viral/sites/{siteId}"), body => body.GetProperty("shares").GetInt32() >= 1);
            Assert.Equal(1, stats.GetProperty("shares").GetInt32());

            // Real-user monitoring from the custom domain counts for the site too.
            await page.EvaluateAsync("() => { window.FourSiteRum.vitals.lcp = 1200; window.FourSiteRum.flush(); }");
            var vitals = await Eventually.ReturnsAsync(() => client.GetFromJsonAsync<JsonElement>($"/api/viral/sites/{siteId}"),
                body => body.GetProperty("vitals").GetProperty("samples").GetInt32() >= 1);
            Assert.Equal(1, vitals.GetProperty("vitals").GetProperty("samples").GetInt32());

            var refused = await Assert.ThrowsAsync<PlaywrightException>(() => page.GotoAsync($"https://unproven.kite-launch.org:{caddy.HttpsPort}/"));
            Assert.Contains("ERR_", refused.Message);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task The_gateway_answers_404_for_hosts_it_does_not_serve_and_only_the_sites_paths_on_a_served_one()
    {
        var (siteId, _, token) = await ProSiteAsync("host-rules");
        using var added = await AsOwnerAsync(HttpMethod.Post, $"/api/sites/{siteId}/domains", token, new { domain = "www.host-rules.org" });
        var verification = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verification");
        Platform.Dns.SetTxt(verification.GetProperty("name").GetString()!, verification.GetProperty("value").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await AsOwnerAsync(HttpMethod.Post, $"/api/sites/{siteId}/domains/www.host-rules.org/verify", token)).StatusCode);

        using var client = Platform.CreateGatewayClient();
        async Task<HttpStatusCode> GetAsync(string host, string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = host;
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.NotFound, await GetAsync("nobody.example.org", "/"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync("nobody.example.org", "/dashboard"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync("www.host-rules.org", "/"));
        using (var root = new HttpRequestMessage(HttpMethod.Get, "/"))
        {
            root.Headers.Host = "www.host-rules.org";
            using var page = await client.SendAsync(root);
            Assert.Contains("octo/host-rules", await page.Content.ReadAsStringAsync());
        }
        Assert.Equal(HttpStatusCode.OK, await GetAsync("WWW.Host-Rules.org.", "/"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync("www.host-rules.org", "/s/assets/site.js"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync("www.host-rules.org", "/dashboard"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync("www.host-rules.org", "/api/leads"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync("www.host-rules.org", "/s/some-other-site"));
        // The platform itself stays on its own hosts.
        Assert.Equal(HttpStatusCode.OK, await GetAsync(Gateway.Authority, "/dashboard"));
    }
}
