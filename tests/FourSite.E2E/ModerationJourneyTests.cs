using System.Net.Http.Json;
using FourSite.System.Tests;
using Microsoft.Playwright;
using Xunit;

namespace FourSite.E2E;

/// <summary>
/// Trust and safety in a real browser: a visitor reports a page from its footer; an operator finds it in the queue on
/// /ops and suspends it; the page then shows the plain notice. An operator silences an alert rule for planned work and
/// ends the silence early, and sees where each service's traffic goes and the release history. Each screen is free of
/// serious accessibility violations.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ModerationJourneyTests(PlatformApp platform) : BrowserTests(platform)
{
    [Fact]
    public async Task A_visitor_reports_a_page_and_an_operator_suspends_it_from_the_queue()
    {
        var site = await GenerateAsync("report-me");
        var slug = site.GetProperty("slug").GetString()!;
        var siteId = site.GetProperty("siteId").GetString()!;

        var visitor = await NewPageAsync();
        await visitor.GotoAsync($"/s/{slug}");
        await visitor.GetByTestId("report-link").ClickAsync();
        await visitor.WaitForURLAsync($"**/report?site={siteId}");
        await AssertAccessibleAsync(visitor);
        await visitor.GetByLabel("Phishing: it asks for passwords or payment details").CheckAsync();
        await visitor.GetByTestId("report-details").FillAsync("The sign-up form asks for a GitHub password.");
        await visitor.GetByTestId("report-submit").ClickAsync();
        await Assertions.Expect(visitor.GetByTestId("report-sent")).ToBeVisibleAsync();

        var operatorPage = await NewPageAsync();
        await operatorPage.GotoAsync("/ops");
        await operatorPage.GetByTestId("operator-key-input").FillAsync(PlatformApp.OperatorKey);
        await operatorPage.GetByTestId("operator-key-submit").ClickAsync();
        var entry = operatorPage.Locator($"#moderation-queue li[data-site-id='{siteId}']");
        await Assertions.Expect(entry).ToContainTextAsync("phishing", new() { Timeout = 30_000 });
        await Assertions.Expect(entry).ToContainTextAsync("asks for a GitHub password");
        await AssertAccessibleAsync(operatorPage);
        await entry.GetByTestId("moderation-reason").FillAsync("Phishing form");
        await entry.GetByTestId("moderation-suspend").ClickAsync();
        await Assertions.Expect(operatorPage.GetByTestId("moderation-actions")).ToContainTextAsync("Phishing form");
        await Assertions.Expect(operatorPage.Locator($"#moderation-queue li[data-site-id='{siteId}']")).ToHaveCountAsync(0);

        // A new visitor (the first one's browser may keep the page it saw for its 60 seconds of cache).
        var next = await NewPageAsync();
        var response = await next.GotoAsync($"/s/{slug}");
        Assert.Equal(410, response!.Status);
        await Assertions.Expect(next.GetByRole(AriaRole.Heading, new() { Name = "This page has been taken down" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(next);
        await Chromium.ScreenshotAsync(operatorPage, "ops-moderation");
    }

    [Fact]
    public async Task An_operator_silences_a_rule_for_planned_work_and_ends_the_silence_early()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/ops");
        await page.GetByTestId("operator-key-input").FillAsync(PlatformApp.OperatorKey);
        await page.GetByTestId("operator-key-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#silence-rule option[value='error_rate']")).ToHaveCountAsync(1, new() { Timeout = 30_000 });

        await page.GetByTestId("silence-rule").SelectOptionAsync("error_rate");
        await page.GetByTestId("silence-duration").SelectOptionAsync("04:00:00");
        await page.GetByTestId("silence-reason").FillAsync("Database failover drill");
        await page.GetByTestId("silence-submit").ClickAsync();
        var silence = page.GetByTestId("alert-silences").Locator("li", new() { HasText = "Database failover drill" });
        await Assertions.Expect(silence).ToContainTextAsync("error_rate");
        await Assertions.Expect(silence).ToContainTextAsync("operator key");
        await AssertAccessibleAsync(page);

        await silence.GetByTestId("silence-end").ClickAsync();
        await Assertions.Expect(silence).ToContainTextAsync("ended by operator key");
        await Assertions.Expect(silence.GetByTestId("silence-end")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_operator_sees_each_services_live_slot_and_the_releases_and_rollbacks_on_record()
    {
        using var operatorClient = Platform.CreateGatewayClient();
        operatorClient.DefaultRequestHeaders.Add("X-Api-Key", PlatformApp.OperatorKey);
        var tag = $"2.0.{Random.Shared.Next(1000, 9999)}";
        using var recorded = await operatorClient.PostAsJsonAsync("/api/operations/releases", new
        {
            kind = "release", outcome = "rolled_back", fromSlot = "blue", toSlot = "green", fromImage = "1.9.0", toImage = tag,
            reason = "deployment health of green decided rollback", by = "release-bot",
        });
        Assert.Equal(global::System.Net.HttpStatusCode.Created, recorded.StatusCode);

        var page = await NewPageAsync();
        await page.GotoAsync("/ops");
        await page.GetByTestId("operator-key-input").FillAsync(PlatformApp.OperatorKey);
        await page.GetByTestId("operator-key-submit").ClickAsync();

        var generation = page.GetByTestId("ops-slots").Locator("tr[data-service='generation']");
        await Assertions.Expect(generation).ToContainTextAsync("blue", new() { Timeout = 30_000 });
        await Assertions.Expect(generation).ToContainTextAsync("no green slot running");
        await Assertions.Expect(page.GetByTestId("ops-slots").Locator("tr")).ToHaveCountAsync(4);
        var release = page.GetByTestId("release-history").Locator("li", new() { HasText = tag });
        await Assertions.Expect(release).ToContainTextAsync("release rolled_back");
        await Assertions.Expect(release).ToContainTextAsync("operator key (release-bot)");
        await Assertions.Expect(release).ToContainTextAsync($"1.9.0 → {tag}");
        await AssertAccessibleAsync(page);
    }
}
