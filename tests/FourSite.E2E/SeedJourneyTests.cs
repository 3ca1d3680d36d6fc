using System.Globalization;
using System.Text.Json;
using FourSite.System.Tests;
using FourSite.Testing;
using Microsoft.Playwright;
using Xunit;

namespace FourSite.E2E;

/// <summary>
/// The seed's three Puppeteer journeys (core-user-journeys.test.js), step for step, with Puppeteer's waiting rule:
/// <c>waitForSelector</c> resolves as soon as an element is in the DOM, visible or not (Playwright's
/// <see cref="WaitForSelectorState.Attached"/>), so each element must appear only once it means what the seed reads.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SeedJourneyTests(PlatformApp platform) : BrowserTests(platform)
{
    /// <summary>Puppeteer's <c>page.waitForSelector(selector, {timeout})</c>: attached to the DOM, visible or not.</summary>
    private static Task WaitForSelectorAsync(IPage page, string selector, float timeout = 30_000) =>
        page.WaitForSelectorAsync(selector, new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached, Timeout = timeout });

    [Fact]
    public async Task GitHub_URL_to_site_generation_to_lead_capture_the_critical_path()
    {
        Platform.GitHub.AddRepository("facebook", "react", description: "The library for web and native user interfaces.");
        var page = await NewPageAsync();
        await page.GotoAsync("/");

        // Step 1: Landing page loads
        await WaitForSelectorAsync(page, "[data-testid=\"hero-section\"]", 10_000);

        // Step 2: Enter GitHub URL
        await page.Locator("[data-testid=\"github-url-input\"]").PressSequentiallyAsync("https://github.com/facebook/react");
        await page.ClickAsync("[data-testid=\"terms-checkbox\"]");

        // Step 3: Submit and wait for generation
        await page.ClickAsync("[data-testid=\"generate-button\"]");
        await WaitForSelectorAsync(page, "[data-testid=\"site-preview\"]", 45_000);

        // Step 4: Verify AI generation completed
        var siteData = await page.EvaluateAsync<JsonElement?>("window.generatedSiteData");
        Assert.NotNull(siteData);
        Assert.False(string.IsNullOrEmpty(siteData.Value.GetProperty("title").GetString()));

        // Step 5: Lead capture modal appears
        await WaitForSelectorAsync(page, "[data-testid=\"lead-capture-modal\"]");

        // Step 6: Fill lead capture form
        await page.Locator("[data-testid=\"email-input\"]").PressSequentiallyAsync("test@example.com");
        await page.ClickAsync("[data-testid=\"interest-ai-ml\"]");
        await page.ClickAsync("[data-testid=\"platform-twitter\"]");
        await page.ClickAsync("[data-testid=\"newsletter-opt-in\"]");

        // Step 7: Submit lead capture
        await page.ClickAsync("[data-testid=\"capture-submit\"]");

        // Step 8: Verify success response
        await WaitForSelectorAsync(page, "[data-testid=\"capture-success\"]");
        var leadScore = await page.EvalOnSelectorAsync<string>("[data-testid=\"lead-score\"]", "el => el.textContent");
        Assert.True(int.Parse(leadScore, CultureInfo.InvariantCulture) > 50, $"lead score {leadScore}");
        await Chromium.ScreenshotAsync(page, "seed-critical-path");
    }

    [Fact]
    public async Task Viral_sharing_flow_to_referral_tracking()
    {
        var site = await GenerateAsync("seed-share");
        var page = await NewPageAsync();
        // The seed opens a generated site at the platform's root (/{slug}); it leads to the site's page.
        await page.GotoAsync($"/{site.GetProperty("slug").GetString()}");

        // Generate share event
        await page.ClickAsync("[data-testid=\"share-twitter\"]");
        // page.waitForFunction(() => window.shareTracked === true), polled from outside: the site's CSP (rightly)
        // forbids the eval a page-side wait needs.
        Assert.True(await Eventually.ReturnsAsync(() => page.EvaluateAsync<bool>("window.shareTracked === true"), tracked => tracked, TimeSpan.FromSeconds(30)));

        // Verify viral score update
        var viralScore = await page.EvalOnSelectorAsync<string>("[data-testid=\"viral-score\"]", "el => el.textContent");
        Assert.True(double.Parse(viralScore, CultureInfo.InvariantCulture) > 0, $"viral score {viralScore}");
    }

    [Fact]
    public async Task Premium_upsell_funnel_to_dashboard_access()
    {
        // The seed runs this journey in the browser that generated a site in the first one: its owner token is in local storage.
        var site = await GenerateAsync("seed-upsell");
        var page = await NewPageAsync();
        await page.GotoAsync("/");
        await page.EvaluateAsync("site => localStorage.setItem('foursite-sites', JSON.stringify([site]))", new
        {
            siteId = site.GetProperty("siteId").GetString(),
            slug = site.GetProperty("slug").GetString(),
            title = site.GetProperty("siteData").GetProperty("title").GetString(),
            ownerToken = site.GetProperty("ownerToken").GetString(),
        });

        await page.GotoAsync("/dashboard");
        await WaitForSelectorAsync(page, "[data-testid=\"upgrade-prompt\"]");

        // Click upgrade
        await page.ClickAsync("[data-testid=\"upgrade-to-pro\"]");
        await WaitForSelectorAsync(page, "[data-testid=\"stripe-checkout\"]");

        // Verify checkout integration loads
        var stripeFrame = await page.QuerySelectorAsync("iframe[src*=\"checkout.stripe.com\"]");
        Assert.NotNull(stripeFrame);
        Assert.StartsWith("https://checkout.stripe.com/c/pay/cs_test_", await page.GetAttributeAsync("[data-testid=\"stripe-checkout\"]", "href"));
    }

    [Fact]
    public async Task Seed_selectors_are_absent_until_they_mean_something()
    {
        var landing = await NewPageAsync();
        await landing.GotoAsync("/");
        var dashboard = await NewPageAsync();
        await dashboard.GotoAsync("/dashboard");

        foreach (var selector in new[] { "site-preview", "lead-capture-modal", "email-input", "capture-success", "lead-score" })
        {
            Assert.Null(await landing.QuerySelectorAsync($"[data-testid=\"{selector}\"]"));
        }

        Assert.Null(await dashboard.QuerySelectorAsync("[data-testid=\"stripe-checkout\"]"));
        Assert.Null(await dashboard.QuerySelectorAsync("iframe"));
        Assert.Null(await landing.EvaluateAsync<JsonElement?>("window.generatedSiteData"));
    }

    [Fact]
    public async Task A_generated_sites_lead_form_uses_the_seeds_test_ids()
    {
        var site = await GenerateAsync("seed-form");
        var page = await NewPageAsync();
        await page.GotoAsync($"/s/{site.GetProperty("slug").GetString()}");
        Assert.Null(await page.QuerySelectorAsync("[data-testid=\"capture-success\"]"));

        await page.Locator("[data-testid=\"email-input\"]").PressSequentiallyAsync("grace@compilers.dev");
        await page.ClickAsync("[data-testid=\"interest-ai-ml\"]");
        await page.ClickAsync("[data-testid=\"platform-twitter\"]");
        await page.ClickAsync("[data-testid=\"newsletter-opt-in\"]");
        await page.ClickAsync("[data-testid=\"capture-submit\"]");
        await WaitForSelectorAsync(page, "[data-testid=\"capture-success\"]");

        var leadScore = await page.EvalOnSelectorAsync<string>("[data-testid=\"lead-score\"]", "el => el.textContent");
        Assert.InRange(int.Parse(leadScore, CultureInfo.InvariantCulture), 1, 100);
        await Chromium.ScreenshotAsync(page, "seed-generated-site-capture");
    }
}
