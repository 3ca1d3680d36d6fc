using System.Text.RegularExpressions;
using FourSite.System.Tests;
using Microsoft.Playwright;
using Xunit;

namespace FourSite.E2E;

/// <summary>
/// Email in a real browser, its mail read from the local run's smtp4dev: a visitor opts in, confirms from the emailed
/// link's page; the verified maintainer verifies a notification address, previews and sends an announcement from the
/// dashboard; the visitor leaves every project's news from the unsubscribe page.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class EmailJourneyTests(PlatformApp platform) : BrowserTests(platform)
{
    private string Link(string path) => new Uri(Gateway, path).ToString();

    [Fact]
    public async Task A_visitor_confirms_the_maintainer_announces_and_the_visitor_unsubscribes_from_every_project()
    {
        Platform.GitHub.AddRepository("octo", "mailing-kit", description: "A kit with news");
        Platform.GitHub.Grant("molly-maintainer", "octo", "mailing-kit", "admin");
        var maintainer = await NewPageAsync();
        await maintainer.GotoAsync("/auth/github/login?returnUrl=/dashboard&login=molly-maintainer");
        await Assertions.Expect(maintainer.GetByTestId("signed-in-as")).ToHaveTextAsync("Signed in as @molly-maintainer");
        await maintainer.GotoAsync("/");
        await maintainer.GetByTestId("github-url-input").FillAsync("https://github.com/octo/mailing-kit");
        await maintainer.GetByTestId("terms-checkbox").CheckAsync();
        await maintainer.GetByTestId("generate-button").ClickAsync();
        await Assertions.Expect(maintainer.GetByTestId("site-preview")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var sitePath = await maintainer.EvaluateAsync<string>("window.generatedSiteUrl");
        await maintainer.GotoAsync("/dashboard");
        var card = maintainer.Locator("article.card").First;
        await card.GetByTestId("verify-site").ClickAsync();
        await Assertions.Expect(maintainer.Locator("article.card").First.GetByTestId("site-badge")).ToHaveTextAsync("✓ Verified maintainer");

        // A visitor opts in on the page, and is told to confirm from their inbox.
        var visitor = await NewPageAsync();
        await visitor.GotoAsync(sitePath);
        await visitor.GetByTestId("email-input").FillAsync("browser.reader@example.org");
        await visitor.GetByTestId("newsletter-opt-in").CheckAsync();
        await visitor.GetByTestId("capture-submit").ClickAsync();
        await Assertions.Expect(visitor.GetByTestId("lead-status")).ToContainTextAsync("Check your inbox");
        var confirmation = (await Platform.Inbox.ToAsync("browser.reader@example.org"))[0];
        await visitor.GotoAsync(Link(MailInbox.LinkPath(confirmation, "/e/confirm/")));
        await visitor.GetByTestId("confirm-subscription").ClickAsync();
        await Assertions.Expect(visitor.Locator("h1")).ToHaveTextAsync("You're subscribed");

        // The maintainer's notification address, verified from its link, then an announcement previewed and sent.
        await maintainer.ReloadAsync();
        await maintainer.GetByTestId("notification-address").FillAsync("molly@kit.example");
        await maintainer.GetByTestId("notification-address-save").ClickAsync();
        await Assertions.Expect(maintainer.GetByTestId("notification-address-status")).ToContainTextAsync("follow the link");
        var verification = (await Platform.Inbox.ToAsync("molly@kit.example"))[0];
        var verify = await NewPageAsync();
        await verify.GotoAsync(Link(MailInbox.LinkPath(verification, "/e/verify/")));
        await verify.GetByTestId("verify-address").ClickAsync();
        await Assertions.Expect(verify.Locator("h1")).ToHaveTextAsync("Address verified");

        card = maintainer.Locator("article.card").First;
        await card.GetByTestId("manage-email").ClickAsync();
        await Assertions.Expect(card.GetByTestId("subscriber-counts")).ToContainTextAsync("1 confirmed");
        await card.GetByTestId("announcement-subject").FillAsync("Mailing kit 1.0");
        await card.GetByTestId("announcement-markdown").FillAsync("It is **out**: [read the notes](https://kit.example/1.0)");
        await card.GetByTestId("announcement-preview-button").ClickAsync();
        await Assertions.Expect(card.GetByTestId("announcement-preview")).ToBeVisibleAsync();
        await card.GetByTestId("announcement-test").ClickAsync();
        Assert.Equal("[Test] Mailing kit 1.0", (await Platform.Inbox.ToAsync("molly@kit.example", 2))[1].Subject);
        maintainer.Dialog += (_, dialog) => dialog.AcceptAsync();
        await card.GetByTestId("announcement-send").ClickAsync();
        await Assertions.Expect(card.GetByTestId("announcement").First).ToContainTextAsync("Mailing kit 1.0");
        await Chromium.ScreenshotAsync(maintainer, "email-announcement-sent");

        // The visitor leaves every project's news from the link in the announcement.
        var news = (await Platform.Inbox.ToAsync("browser.reader@example.org", 2))[1];
        Assert.Equal("Mailing kit 1.0", news.Subject);
        await visitor.GotoAsync(Link(MailInbox.LinkPath(news, "/e/unsubscribe/")));
        await visitor.GetByTestId("unsubscribe-everywhere").CheckAsync();
        await visitor.GetByTestId("unsubscribe").ClickAsync();
        await Assertions.Expect(visitor.Locator("h1")).ToHaveTextAsync("You're unsubscribed");
        await Assertions.Expect(visitor.Locator("main")).ToContainTextAsync("any FourSite project");
        await Assertions.Expect(visitor.GetByTestId("resubscribe")).ToBeVisibleAsync();
        await maintainer.ReloadAsync();
        card = maintainer.Locator("article.card").First;
        await card.GetByTestId("manage-email").ClickAsync();
        await Assertions.Expect(card.GetByTestId("subscriber-counts")).ToContainTextAsync(new Regex("0 confirmed .* 1 unsubscribed"));
    }
}
