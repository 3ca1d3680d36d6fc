using System.Text.RegularExpressions;
using FourSite.System.Tests;
using Microsoft.Playwright;
using Xunit;

namespace FourSite.E2E;

/// <summary>
/// Maintainers with GitHub accounts, in a real browser against GitHub's stand-in: sign in, generate, verify, see a
/// lead's email; the same account from another browser; masked leads before verifying; taking over an impostor's page.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AccountJourneyTests(PlatformApp platform) : BrowserTests(platform)
{
    /// <summary>A new browser profile signed in as <paramref name="login"/>, on its dashboard.</summary>
    private async Task<IPage> SignedInAsync(string login)
    {
        var page = await NewPageAsync();
        await page.GotoAsync($"/auth/github/login?returnUrl=/dashboard&login={login}");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/dashboard$"));
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync($"Signed in as @{login}");
        return page;
    }

    /// <summary>Generates octo/<paramref name="name"/> from the landing page; answers the site's path.</summary>
    private static async Task<string> GenerateAsync(IPage page, string name)
    {
        await page.GotoAsync("/");
        await page.GetByTestId("github-url-input").FillAsync($"https://github.com/octo/{name}");
        await page.GetByTestId("terms-checkbox").CheckAsync();
        await page.GetByTestId("generate-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("site-preview")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        return await page.EvaluateAsync<string>("window.generatedSiteUrl");
    }

    /// <summary>A visitor leaves their email on the site.</summary>
    private async Task CaptureAsync(string sitePath, string email)
    {
        var visitor = await NewPageAsync();
        await visitor.GotoAsync(sitePath);
        await visitor.GetByTestId("email-input").FillAsync(email);
        await visitor.GetByTestId("capture-submit").ClickAsync();
        await Assertions.Expect(visitor.GetByTestId("capture-success")).ToBeVisibleAsync();
        await visitor.Context.CloseAsync();
    }

    private static ILocator Card(IPage page, string text) => page.Locator("article.card", new() { HasText = text });

    /// <summary>Reloads until <paramref name="locate"/>'s element shows <paramref name="text"/>: a lead reaches the dashboard through an event, a moment after its capture.</summary>
    private static async Task ReloadUntilAsync(IPage page, Func<ILocator> locate, string text)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await page.ReloadAsync();
            try
            {
                await Assertions.Expect(locate()).ToContainTextAsync(text, new() { Timeout = 1_000 });
                return;
            }
            catch (PlaywrightException)
            {
            }
        }

        await Assertions.Expect(locate()).ToContainTextAsync(text);
    }

    [Fact]
    public async Task A_maintainer_signs_in_generates_verifies_and_sees_a_leads_email_from_any_browser()
    {
        Platform.GitHub.AddRepository("octo", "verified-kit", description: "A kit its maintainer verified");
        Platform.GitHub.Grant("maya-maintainer", "octo", "verified-kit", "admin");
        var page = await SignedInAsync("maya-maintainer");

        var site = await GenerateAsync(page, "verified-kit");
        await page.GotoAsync("/dashboard");
        var card = Card(page, "Sample");
        await Assertions.Expect(card.GetByTestId("site-badge")).ToHaveTextAsync("In your account · not verified");
        await card.GetByTestId("verify-site").ClickAsync();
        await Assertions.Expect(Card(page, "Sample").GetByTestId("site-badge")).ToHaveTextAsync("✓ Verified maintainer");

        await CaptureAsync(site, "early.adopter@startup.example");
        // The generated page tells visitors who the maintainers are and who receives their email.
        var visitor = await NewPageAsync();
        await visitor.GotoAsync(site);
        await Assertions.Expect(visitor.GetByTestId("site-ownership")).ToContainTextAsync("Verified maintainer (@maya-maintainer) of octo/verified-kit");
        await Assertions.Expect(visitor.GetByTestId("lead-recipient")).ToContainTextAsync("verified maintainers of octo/verified-kit");

        await ReloadUntilAsync(page, () => Card(page, "Sample"), "early.adopter@startup.example");
        await Chromium.ScreenshotAsync(page, "account-verified-lead-email");

        // Another browser, the same GitHub account: the same site, without any local storage.
        var elsewhere = await SignedInAsync("maya-maintainer");
        await Assertions.Expect(elsewhere.Locator($"article.card a[href='{site}']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Leads_are_masked_until_verified_and_a_maintainer_takes_over_an_impostors_page()
    {
        Platform.GitHub.AddRepository("octo", "nora-side-project");
        Platform.GitHub.AddRepository("octo", "noras-famous-lib", description: "The real thing");
        Platform.GitHub.Grant("nora-maintainer", "octo", "noras-famous-lib", "maintain");
        var nora = await SignedInAsync("nora-maintainer");
        var ownSite = await GenerateAsync(nora, "nora-side-project");
        await CaptureAsync(ownSite, "reader@news.example");

        await nora.GotoAsync("/dashboard");
        await ReloadUntilAsync(nora, () => nora.Locator("article.card").First, "r***@news.example");
        await Assertions.Expect(nora.GetByText("reader@news.example")).ToHaveCountAsync(0);

        var impostor = await SignedInAsync("ivan-impostor");
        var impostorSite = await GenerateAsync(impostor, "noras-famous-lib");

        await nora.GotoAsync("/dashboard");
        await nora.GetByTestId("take-over-url").FillAsync($"{Gateway.ToString().TrimEnd('/')}{impostorSite}");
        await nora.GetByTestId("take-over").ClickAsync();
        await Assertions.Expect(nora.Locator($"article.card a[href='{impostorSite}']")).ToBeVisibleAsync();
        await Chromium.ScreenshotAsync(nora, "account-taken-over");

        // The impostor's browser still holds the page's owner token, which is worth nothing now.
        await impostor.GotoAsync("/dashboard");
        await Assertions.Expect(impostor.GetByText("was taken over by the maintainers of its repository")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(impostor.Locator($"article.card a[href='{impostorSite}']")).ToHaveCountAsync(0);
    }
}
