using FourSite.System.Tests;
using Microsoft.Playwright;
using Xunit;

namespace FourSite.E2E;

/// <summary>
/// An owner fixes the copy of a site from the dashboard in a real browser: the preview follows the typing, a save shows
/// on the page and names the owner's fields, a field goes back to the README, and the editor is free of serious
/// accessibility violations. The site's social card before and after is kept as an artefact.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ContentEditorTests(PlatformApp platform) : BrowserTests(platform)
{
    [Fact]
    public async Task An_owner_edits_the_copy_with_a_live_preview_and_hands_a_field_back_to_the_readme()
    {
        var site = await GenerateAsync("copy-editor");
        var slug = site.GetProperty("slug").GetString()!;
        var page = await OpenDashboardAsOwnerAsync(site, "Copy Editor");
        var card = page.Locator($"[data-site-id='{site.GetProperty("siteId").GetString()}']");
        Assert.Equal(0, await card.GetByTestId("content-panel").CountAsync());
        await SaveCardAsync(slug, "card-before-edit");

        await card.GetByTestId("edit-content").ClickAsync();
        await Assertions.Expect(card.GetByTestId("content-owned")).ToContainTextAsync("Everything follows the README.");
        await card.GetByTestId("content-title").FillAsync("Copy Editor, rewritten");
        await Assertions.Expect(card.GetByTestId("content-preview")).ToContainTextAsync("Copy Editor, rewritten");
        await card.GetByTestId("content-tagline").FillAsync("Say it the way you mean it");
        await card.GetByTestId("content-save").ClickAsync();

        await Assertions.Expect(card.GetByTestId("content-owned")).ToContainTextAsync("Yours (kept when the site is regenerated): Title, Tagline");
        var visitor = await NewPageAsync();
        await visitor.GotoAsync($"/s/{slug}");
        await Assertions.Expect(visitor.Locator("h1")).ToHaveTextAsync("Copy Editor, rewritten");
        await SaveCardAsync(slug, "card-after-edit");
        await AssertAccessibleAsync(page);

        await card.GetByTestId("content-reset-title").ClickAsync();
        await Assertions.Expect(card.GetByTestId("content-owned")).ToContainTextAsync("Yours (kept when the site is regenerated): Tagline");
        await Assertions.Expect(card.GetByTestId("content-history").Locator("li")).ToHaveCountAsync(2);
        var again = await NewPageAsync();
        await again.GotoAsync($"/s/{slug}");
        await Assertions.Expect(again.Locator("h1")).Not.ToHaveTextAsync("Copy Editor, rewritten");
    }

    /// <summary>Keeps the site's social card (as its page names it now) beside the screenshots.</summary>
    private async Task SaveCardAsync(string slug, string name)
    {
        using var client = Platform.CreateGatewayClient();
        var html = await client.GetStringAsync($"/s/{slug}");
        var address = global::System.Text.RegularExpressions.Regex.Match(html, "<meta property=\"og:image\" content=\"([^\"]+)\">").Groups[1].Value;
        var png = await client.GetByteArrayAsync(new Uri(address).PathAndQuery);
        Assert.Equal(0x89, png[0]);
        await File.WriteAllBytesAsync(Path.Combine(Chromium.ScreenshotFolder, $"{name}.png"), png);
    }
}
