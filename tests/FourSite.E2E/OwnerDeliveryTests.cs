using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using FourSite.System.Tests;
using FourSite.Testing;
using FourSite.Testing.Fakes;
using Microsoft.Playwright;
using Xunit;

namespace FourSite.E2E;

/// <summary>
/// An owner gets leads out from the dashboard in a real browser: downloads the export, and adds, tests, rotates, turns back
/// on and removes a webhook whose endpoint (a receiver on loopback) gets the signed events.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OwnerDeliveryTests(PlatformApp platform) : BrowserTests(platform)
{
    private async Task CaptureAsync(JsonElement site, string email)
    {
        using var client = Platform.CreateGatewayClient();
        using var response = await client.PostAsJsonAsync("/api/leads/capture", new { email, siteId = site.GetProperty("siteId").GetGuid() });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>The site's webhooks as its owner reads them, once Leads knows the site (an event, a moment after its generation).</summary>
    private async Task<JsonElement> WebhooksAsync(JsonElement site)
    {
        using var client = Platform.CreateGatewayClient();
        return await Eventually.ReturnsAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sites/{site.GetProperty("siteId").GetString()}/webhooks");
            request.Headers.Authorization = new("Bearer", site.GetProperty("ownerToken").GetString());
            using var response = await client.SendAsync(request);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
        }, webhooks => webhooks.ValueKind == JsonValueKind.Array);
    }

    [Fact]
    public async Task An_owner_downloads_every_lead_of_a_site_as_csv()
    {
        var site = await GenerateAsync("export-me");
        await CaptureAsync(site, "first.reader@example.com");
        await CaptureAsync(site, "second.reader@example.com");
        var page = await OpenDashboardAsOwnerAsync(site, "Export Me");
        // Leads reach the dashboard through an event: the export waits for the card to show them.
        await Eventually.ReturnsAsync(async () =>
        {
            await page.ReloadAsync();
            return await page.Locator("article.card li", new() { HasText = "score" }).CountAsync();
        }, count => count == 2);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-leads").ClickAsync());

        Assert.EndsWith(".csv", download.SuggestedFilename);
        var path = await download.PathAsync();
        var lines = (await File.ReadAllLinesAsync(path)).Where(line => line.Length > 0).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Contains("email", lines[0]);
        // An owner who has not verified maintaining the repository sees masked emails, in the export as on the card.
        Assert.All(lines.Skip(1), line => Assert.DoesNotContain("reader@example.com", line));
        Assert.Contains(lines, line => line.Contains("@example.com", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("article.card [role=status]")).ToContainTextAsync("Downloaded");
    }

    [Fact]
    public async Task An_owner_adds_tests_rotates_and_removes_a_webhook_and_sees_its_deliveries()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var site = await GenerateAsync("hooked-up");
        await WebhooksAsync(site);
        var page = await OpenDashboardAsOwnerAsync(site, "Hooked Up");
        var card = page.Locator($"[data-site-id='{site.GetProperty("siteId").GetString()}']");
        Assert.Equal(0, await card.GetByTestId("webhook-form").CountAsync());

        await card.GetByTestId("manage-webhooks").ClickAsync();
        await Assertions.Expect(card.GetByText("No webhooks yet.")).ToBeVisibleAsync();
        await card.GetByTestId("webhook-url").FillAsync(receiver.Url("/foursite"));
        await card.GetByTestId("webhook-event-share.milestone").CheckAsync();
        await card.GetByTestId("webhook-add").ClickAsync();
        await Assertions.Expect(card.GetByTestId("webhook")).ToHaveCountAsync(1);
        var secret = await card.GetByTestId("webhook-secret").InnerTextAsync();
        Assert.StartsWith("whsec_", secret);
        await Assertions.Expect(card.GetByTestId("webhook")).ToContainTextAsync(receiver.Url("/foursite"));
        await Assertions.Expect(card.GetByTestId("webhook")).ToContainTextAsync("lead.captured, share.milestone");

        await card.GetByTestId("webhook-test").ClickAsync();
        var test = await Eventually.ReturnsAsync(() => Task.FromResult(receiver.Processed), hooks => hooks.Count >= 1);
        Assert.Contains("\"webhook.test\"", Assert.Single(test).Body);
        await Eventually.ReturnsAsync(async () =>
        {
            await card.GetByTestId("webhook-deliveries").ClickAsync();
            return await card.Locator("[data-testid=webhook-delivery][data-status=delivered]").CountAsync();
        }, count => count == 1);
        await Assertions.Expect(card.GetByTestId("webhook-delivery")).ToContainTextAsync("webhook.test");
        await Assertions.Expect(card.GetByTestId("webhook-delivery")).ToContainTextAsync("200 in");

        await card.GetByTestId("webhook-rotate").ClickAsync();
        await Assertions.Expect(card.GetByTestId("webhook-secret")).Not.ToHaveTextAsync(secret);
        Assert.StartsWith("whsec_", await card.GetByTestId("webhook-secret").InnerTextAsync());
        await Chromium.ScreenshotAsync(page, "dashboard-webhooks");
        var axe = await page.RunAxe();
        Assert.DoesNotContain(axe.Violations, violation => violation.Impact is "serious" or "critical");

        page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
        await card.GetByTestId("webhook-remove").ClickAsync();
        await Assertions.Expect(card.GetByTestId("webhook")).ToHaveCountAsync(0);
        await Assertions.Expect(card.GetByText("No webhooks yet.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_webhook_disabled_by_its_endpoint_says_why_and_can_be_turned_back_on()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = (_, _) => Task.FromResult(410);
        var site = await GenerateAsync("gone-away");
        await WebhooksAsync(site);
        var page = await OpenDashboardAsOwnerAsync(site, "Gone Away");
        var card = page.Locator($"[data-site-id='{site.GetProperty("siteId").GetString()}']");
        await card.GetByTestId("manage-webhooks").ClickAsync();
        await card.GetByTestId("webhook-url").FillAsync(receiver.Url("/gone"));
        await card.GetByTestId("webhook-add").ClickAsync();
        await Assertions.Expect(card.GetByTestId("webhook")).ToHaveCountAsync(1);

        await card.GetByTestId("webhook-test").ClickAsync();
        var disabled = await Eventually.ReturnsAsync(() => WebhooksAsync(site), webhooks => !webhooks[0].GetProperty("enabled").GetBoolean());
        Assert.False(disabled[0].GetProperty("enabled").GetBoolean());
        await page.ReloadAsync();
        await SettledCardAsync(page, site);
        await card.GetByTestId("manage-webhooks").ClickAsync();
        await Assertions.Expect(card.GetByTestId("webhook-disabled")).ToContainTextAsync("410");

        receiver.Answer = (_, _) => Task.FromResult(200);
        await card.GetByTestId("webhook-enable").ClickAsync();
        await Assertions.Expect(card.GetByTestId("webhook-disabled")).ToHaveCountAsync(0);
        await Assertions.Expect(card.GetByTestId("webhook-enable")).ToHaveCountAsync(0);
    }
}
