using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FourSite.System.Tests;
using FourSite.Testing;
using Microsoft.Playwright;
using Xunit;

namespace FourSite.E2E;

/// <summary>
/// An owner reads their site's analytics on the dashboard in a real browser: visits made by real browsers (a desktop
/// visitor reading two pages, a phone arriving from a shared link) show as visitors, page views, sources, devices and
/// shares per channel, with a sparkline on the card, a CSV of the days, and no serious accessibility violation.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OwnerAnalyticsTests(PlatformApp platform) : BrowserTests(platform)
{
    private const string Desktop = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
    private const string Phone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

    [Fact]
    public async Task Real_visits_show_in_the_owners_analytics_panel_and_csv()
    {
        var site = await GenerateAsync("analytics-panel");
        var slug = site.GetProperty("slug").GetString()!;
        var siteId = site.GetProperty("siteId").GetString()!;

        var reader = await NewPageAsync(new BrowserNewContextOptions { UserAgent = Desktop });
        await reader.GotoAsync($"/s/{slug}?utm_source=newsletter&utm_campaign=launch");
        await reader.GotoAsync($"/s/{slug}");
        var phone = await NewPageAsync(new BrowserNewContextOptions { UserAgent = Phone, ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        await phone.GotoAsync($"/s/{slug}?via=twitter");
        // A crawler's visit is not a visitor.
        var crawler = await NewPageAsync(new BrowserNewContextOptions { UserAgent = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" });
        await crawler.GotoAsync($"/s/{slug}");

        using var client = Platform.CreateGatewayClient();
        using (var share = await client.PostAsJsonAsync("/api/share/track", new { websiteId = siteId, platform = "twitter", shareUrl = $"https://4site.pro/s/{slug}" }))
        {
            share.EnsureSuccessStatusCode();
        }

        var report = await Eventually.ReturnsAsync(() => AnalyticsAsync(client, site), analytics =>
            analytics.GetProperty("totals").GetProperty("visitors").GetInt32() == 2 && analytics.GetProperty("totals").GetProperty("shares").GetInt32() == 1);
        Assert.Equal(3, report.GetProperty("totals").GetProperty("pageViews").GetInt32());

        var page = await OpenDashboardAsOwnerAsync(site, "Analytics Panel");
        var card = page.Locator($"[data-site-id='{siteId}']");
        await Assertions.Expect(card.GetByTestId("site-visitors")).ToContainTextAsync("2 visitors · 3 page views this week");
        await Assertions.Expect(card.GetByTestId("site-visitors").Locator("svg.spark")).ToHaveCountAsync(1);
        Assert.Equal(0, await card.GetByTestId("analytics-panel").CountAsync());

        await card.GetByTestId("open-analytics").ClickAsync();
        var panel = card.GetByTestId("analytics-panel");
        await Assertions.Expect(panel.GetByTestId("analytics-totals")).ToContainTextAsync("Visitors");
        await Assertions.Expect(panel.GetByTestId("analytics-funnel")).ToContainTextAsync("2 visitors → 0 emails");
        await Assertions.Expect(panel.GetByTestId("analytics-shares")).ToContainTextAsync("twitter");
        await Assertions.Expect(panel.GetByTestId("analytics-devices")).ToContainTextAsync("mobile");
        await Assertions.Expect(panel.GetByTestId("analytics-devices")).ToContainTextAsync("desktop");
        await Assertions.Expect(panel.GetByTestId("analytics-utm-sources")).ToContainTextAsync("newsletter");
        await Assertions.Expect(panel.GetByTestId("analytics-days").Locator("tbody tr")).ToHaveCountAsync(30);
        await panel.GetByTestId("analytics-period").SelectOptionAsync("7d");
        await Assertions.Expect(panel.GetByTestId("analytics-days").Locator("tbody tr")).ToHaveCountAsync(7);
        await AssertAccessibleAsync(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Chromium.ScreenshotFolder, "owner-analytics.png"), FullPage = true });

        var download = await page.RunAndWaitForDownloadAsync(() => panel.GetByTestId("analytics-csv").ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename);
        var csv = await File.ReadAllLinesAsync(await download.PathAsync());
        Assert.Equal("date,visitors,pageViews,captures,confirmed,shares", csv[0]);
        Assert.Equal($"{DateTime.UtcNow:yyyy-MM-dd},2,3,0,0,1", csv[^1]);
    }

    private static async Task<JsonElement> AnalyticsAsync(HttpClient client, JsonElement site)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sites/{site.GetProperty("siteId").GetString()}/analytics?period=7d");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", site.GetProperty("ownerToken").GetString());
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
