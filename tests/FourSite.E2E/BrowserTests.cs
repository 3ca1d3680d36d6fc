using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using FourSite.System.Tests;
using Microsoft.Playwright;
using Xunit;

namespace FourSite.E2E;

/// <summary>
/// Tests in headless Chromium against the whole platform: one browser per test class, a fresh profile (its own cookies
/// and local storage) for every page.
/// </summary>
public abstract class BrowserTests(PlatformApp platform) : IAsyncLifetime
{
    private IPlaywright _playwright = null!;

    protected PlatformApp Platform => platform;

    protected IBrowser Browser { get; private set; } = null!;

    /// <summary>The gateway's address, the platform's one public origin.</summary>
    protected Uri Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        (_playwright, var browser) = await Chromium.LaunchAsync();
        Browser = browser;
        using var client = platform.CreateGatewayClient();
        Gateway = client.BaseAddress!;
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }

    /// <summary>Fails on any serious or critical accessibility violation axe finds on the page, naming each (and <paramref name="context"/>).</summary>
    protected static async Task AssertAccessibleAsync(IPage page, string context = "")
    {
        var serious = (await page.RunAxe()).Violations.Where(violation => violation.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, context + string.Join("; ", serious.Select(violation =>
            $"{violation.Id}: {violation.Help} ({string.Join(", ", violation.Nodes.Select(node => $"{node.Target} {node.Html}"))})")));
    }

    /// <summary>A page in a new browser profile on the gateway (1280 × 900 unless <paramref name="options"/> say otherwise).</summary>
    protected async Task<IPage> NewPageAsync(BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = Gateway.ToString();
        options.ViewportSize ??= new ViewportSize { Width = 1280, Height = 900 };
        var context = await Browser.NewContextAsync(options);
        return await context.NewPageAsync();
    }

    /// <summary>A site of octo/<paramref name="name"/> generated through the API (as the landing page does), with its owner token.</summary>
    protected async Task<JsonElement> GenerateAsync(string name)
    {
        platform.GitHub.AddRepository("octo", name);
        using var client = platform.CreateGatewayClient();
        using var response = await client.PostAsJsonAsync("/api/generate", new { repoUrl = $"https://github.com/octo/{name}" });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Delivers a Stripe event to the platform's webhook through the gateway, signed as Stripe signs it.</summary>
    protected async Task DeliverStripeEventAsync(string payload)
    {
        using var client = platform.CreateGatewayClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/billing/webhook") { Content = new StringContent(payload, global::System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("Stripe-Signature", FourSite.Testing.Fakes.StripeFake.Sign(payload));
        using var response = await client.SendAsync(request);
        Assert.Equal(global::System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>The dashboard in a browser that generated <paramref name="site"/> (its owner token in local storage, as the landing page keeps it).</summary>
    protected async Task<IPage> OpenDashboardAsOwnerAsync(JsonElement site, string title)
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/dashboard");
        await page.EvaluateAsync("site => localStorage.setItem('foursite-sites', JSON.stringify([site]))", new
        {
            siteId = site.GetProperty("siteId").GetString(),
            slug = site.GetProperty("slug").GetString(),
            title,
            ownerId = site.GetProperty("ownerId").GetString(),
            ownerToken = site.GetProperty("ownerToken").GetString(),
        });
        await page.ReloadAsync();
        await SettledCardAsync(page, site);
        return page;
    }

    /// <summary>
    /// The card of <paramref name="site"/> once it has filled in what its calls answered: a click while it still grows
    /// could land where a button was a moment before.
    /// </summary>
    protected static async Task<ILocator> SettledCardAsync(IPage page, JsonElement site)
    {
        var card = page.Locator($"[data-site-id='{site.GetProperty("siteId").GetString()}']");
        await Assertions.Expect(card.GetByText("Loading…")).ToHaveCountAsync(0);
        await Assertions.Expect(card.Locator("ul li").First).ToBeAttachedAsync();
        // The week's visitors drawn, or let go: a site Metrics has not learnt of yet answers 404 with Retry-After, retried
        // for up to 10 s.
        await Assertions.Expect(card.Locator("[data-testid=site-visitors]:empty")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        return card;
    }
}
