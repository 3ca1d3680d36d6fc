using System.Net;
using System.Text.RegularExpressions;
using FourSite.System.Tests;
using FourSite.Testing;
using FourSite.Testing.Fakes;
using Microsoft.Playwright;
using Xunit;

namespace FourSite.E2E;

/// <summary>
/// A site upgraded to Pro through Stripe's signed events, in a real browser: the dashboard shows its plan and renewal and
/// opens Stripe's billing portal, its page loses the FourSite badge, and a failed payment shows the grace period.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ProPlanTests(PlatformApp platform) : BrowserTests(platform)
{
    [Fact]
    public async Task A_pro_owner_sees_the_plan_manages_billing_and_the_page_loses_its_badge()
    {
        var site = await GenerateAsync("pro-journey");
        var siteId = site.GetProperty("siteId").GetString()!;
        var slug = site.GetProperty("slug").GetString()!;
        var metadata = new Dictionary<string, string> { ["site_id"] = siteId, ["owner_id"] = site.GetProperty("ownerId").GetString()!, ["plan"] = "pro" };
        using var client = Platform.CreateGatewayClient();
        // Billing learns of the site through an event, a moment after its generation.
        await Eventually.ReturnsAsync(() => client.GetAsync($"/api/viral/sites/{siteId}"), response => response.StatusCode == HttpStatusCode.OK);
        var start = DateTimeOffset.UtcNow;
        await DeliverStripeEventAsync(StripeFake.CheckoutCompleted($"evt_{Guid.NewGuid():N}", $"cs_{Guid.NewGuid():N}", metadata, 1_900, $"sub_{siteId}", $"in_{siteId}", "cus_journey"));
        await DeliverStripeEventAsync(StripeFake.InvoiceEvent($"in_{siteId}", $"sub_{siteId}", metadata, 1_900, start, start.AddMonths(1), "subscription_create"));

        var page = await OpenDashboardAsOwnerAsync(site, "Pro Journey");
        var status = page.GetByTestId("pro-status");
        await Eventually.ReturnsAsync(async () =>
        {
            await page.ReloadAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            return await page.GetByTestId("pro-status").CountAsync();
        }, count => count == 1);
        await Assertions.Expect(status).ToContainTextAsync("Pro (monthly) · renews");
        await Assertions.Expect(page.GetByTestId("upgrade-prompt")).Not.ToContainTextAsync("lead export");
        Assert.DoesNotContain("Made with", await (await client.GetAsync($"/s/{slug}")).Content.ReadAsStringAsync());
        await Chromium.ScreenshotAsync(page, "dashboard-pro");

        // A Pro site's custom domain, from the card: added, its TXT record shown, put in DNS, verified.
        await page.GetByTestId("manage-domains").ClickAsync();
        await page.GetByTestId("domain-input").FillAsync("Shop.Pro-Journey.org");
        await page.GetByTestId("domain-add").ClickAsync();
        await Assertions.Expect(page.GetByTestId("custom-domain")).ToContainTextAsync("shop.pro-journey.org");
        var txtName = await page.GetByTestId("domain-txt-name").InnerTextAsync();
        Assert.Equal("_foursite-challenge.shop.pro-journey.org", txtName);
        Platform.Dns.SetTxt(txtName, await page.GetByTestId("domain-txt-value").InnerTextAsync());
        await page.GetByTestId("domain-verify").ClickAsync();
        await Assertions.Expect(page.GetByTestId("custom-domain")).ToContainTextAsync("Verified");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/domains/allowed?domain=shop.pro-journey.org")).StatusCode);
        await Chromium.ScreenshotAsync(page, "dashboard-custom-domain");

        // Stripe's portal is across the internet: the browser's request for it is answered here.
        await page.RouteAsync("https://billing.stripe.com/**", route => route.FulfillAsync(new() { Body = "<title>Stripe billing portal</title>", ContentType = "text/html" }));
        await page.GetByTestId("manage-billing").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^https://billing\\.stripe\\.com/"));
        Assert.Contains(Platform.Stripe.PortalRequests, form => form.GetValueOrDefault("customer") == "cus_journey");

        // The renewal fails: Pro goes on through the grace period, and the owner is told.
        await DeliverStripeEventAsync(StripeFake.InvoiceEvent($"in_{siteId}_2", $"sub_{siteId}", metadata, 1_900, start.AddMonths(1), start.AddMonths(2), type: "invoice.payment_failed"));
        var again = await OpenDashboardAsOwnerAsync(site, "Pro Journey");
        await Eventually.ReturnsAsync(async () =>
        {
            await again.ReloadAsync();
            await again.WaitForLoadStateAsync(LoadState.NetworkIdle);
            return await again.GetByTestId("pro-status").CountAsync() == 1 ? await again.GetByTestId("pro-status").InnerTextAsync() : "";
        }, text => text.Contains("last payment failed", StringComparison.Ordinal));
        await Assertions.Expect(again.GetByTestId("pro-status")).ToContainTextAsync("while Stripe retries your card");
    }
}
