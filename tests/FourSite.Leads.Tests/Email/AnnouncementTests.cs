using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FourSite.Contracts.Generation;
using FourSite.Testing;
using Xunit;

namespace FourSite.Leads.Tests.Email;

/// <summary>
/// Announcements over a real SMTP exchange: only the verified maintainer sends; only confirmed subscribers get them,
/// with RFC 8058 one-click unsubscribe; a few a day; releases drafted or sent as the site says.
/// </summary>
public sealed class AnnouncementTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private EmailService _leads = null!;

    public async Task InitializeAsync() => _leads = await EmailService.StartAsync(servers);

    public async Task DisposeAsync() => await _leads.DisposeAsync();

    private Task<HttpResponseMessage> AnnounceAsync(Guid siteId, Guid? account, string subject = "Kite 2.0 is out", string markdown = "**Faster** kites. [Read more](https://kite.example/2.0)",
        string audience = "subscribers", string? token = null) =>
        _leads.SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/announcements", new { subject, markdown, audience }, account, token);

    [Fact]
    public async Task Only_confirmed_subscribers_get_an_announcement_and_one_click_unsubscribe_stops_the_next()
    {
        var maintainer = Guid.NewGuid();
        var siteId = await _leads.SiteAsync(maintainer, verified: true);
        await _leads.SubscribeAsync(siteId, "confirmed.reader@example.org");
        await _leads.SubscribeAsync(siteId, "leaving.reader@example.org");
        (await _leads.CaptureAsync(siteId, "pending.reader@example.org")).EnsureSuccessStatusCode();
        await _leads.MailToAsync("pending.reader@example.org");

        using var sent = await AnnounceAsync(siteId, maintainer);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        Assert.Equal(2, (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("recipients").GetInt32());

        var news = (await _leads.MailToAsync("leaving.reader@example.org", 2))[1];
        Assert.Equal("Kite 2.0 is out", news.Subject);
        Assert.Contains("<strong>Faster</strong>", news.HtmlBody);
        Assert.Contains("https://kite.example/2.0", news.TextBody);
        var listUnsubscribe = news.Headers["List-Unsubscribe"] ?? "";
        // No unsubscribe mailbox is read here, so none is offered: the one-click link alone.
        Assert.Matches($"^<{EmailService.PublicUrl}/e/unsubscribe/[A-Za-z0-9_-]{{43}}>$", listUnsubscribe);
        Assert.Equal("List-Unsubscribe=One-Click", news.Headers["List-Unsubscribe-Post"]);
        Assert.EndsWith("@4site.test", news.MessageId);

        // A mail client's one-click unsubscribe: a POST of the RFC 8058 form, no page, no sign-in.
        var unsubscribe = listUnsubscribe[(listUnsubscribe.IndexOf("/e/", StringComparison.Ordinal))..listUnsubscribe.IndexOf('>')];
        using var oneClick = await _leads.Client.PostAsync(unsubscribe, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);

        // Captured again with the opt-in: still unsubscribed, and no confirmation is sent.
        (await _leads.CaptureAsync(siteId, "leaving.reader@example.org")).EnsureSuccessStatusCode();
        (await AnnounceAsync(siteId, maintainer, "Kite 2.1 is out")).EnsureSuccessStatusCode();
        await _leads.MailToAsync("confirmed.reader@example.org", 3);

        Assert.Equal(2, _leads.Smtp.To("leaving.reader@example.org").Count);
        Assert.Single(_leads.Smtp.To("pending.reader@example.org"));
        var history = await _leads.AnnouncementsAsync(siteId, maintainer);
        Assert.Equal("Kite 2.1 is out", history[0].GetProperty("subject").GetString());
        var first = history[1];
        await Eventually.ReturnsAsync(async () => (await _leads.AnnouncementsAsync(siteId, maintainer))[1].GetProperty("sent").GetInt32(), count => count == 2);
        Assert.Equal(1, (await _leads.AnnouncementsAsync(siteId, maintainer))[1].GetProperty("unsubscribedSince").GetInt32());
        Assert.Equal("subscribers", first.GetProperty("audience").GetString());
        var counts = await _leads.CountsAsync(siteId, maintainer);
        Assert.Equal(1, counts.GetProperty("unsubscribed").GetInt32());
        Assert.Equal(1, counts.GetProperty("confirmed").GetInt32());
    }

    [Fact]
    public async Task Unsubscribing_from_every_project_stops_every_sites_news_and_the_page_offers_to_subscribe_again()
    {
        var maintainer = Guid.NewGuid();
        var kite = await _leads.SiteAsync(maintainer, verified: true);
        var other = await _leads.SiteAsync(maintainer, verified: true, "token-of-another-email-site");
        await _leads.SubscribeAsync(kite, "everywhere@example.org");
        await _leads.SubscribeAsync(other, "everywhere@example.org");
        (await AnnounceAsync(kite, maintainer)).EnsureSuccessStatusCode();
        var news = (await _leads.MailToAsync("everywhere@example.org", 3))[2];
        var link = EmailService.LinkPath(news, "/e/unsubscribe/");

        var page = await (await _leads.Client.GetAsync(link)).Content.ReadAsStringAsync();
        Assert.Contains("name=\"scope\" value=\"all\"", page);
        Assert.Contains("e***@example.org", page);
        using var everywhere = await _leads.Client.PostAsync(link, new FormUrlEncodedContent([new("scope", "all")]));
        Assert.Contains("any FourSite project", await everywhere.Content.ReadAsStringAsync());
        Assert.Equal(0, (await _leads.CountsAsync(other, maintainer)).GetProperty("confirmed").GetInt32());

        // Subscribing anew from the person's own page: confirmed again on that site only.
        using var again = await _leads.Client.PostAsync(link.Replace("/unsubscribe/", "/resubscribe/", StringComparison.Ordinal), null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, (await _leads.CountsAsync(kite, maintainer)).GetProperty("confirmed").GetInt32());
        Assert.Equal(0, (await _leads.CountsAsync(other, maintainer)).GetProperty("confirmed").GetInt32());
    }

    [Fact]
    public async Task Nobody_but_the_verified_maintainer_may_send_and_bad_input_is_refused()
    {
        var maintainer = Guid.NewGuid();
        var unverifiedOwner = Guid.NewGuid();
        var siteId = await _leads.SiteAsync(maintainer, verified: true, "token-of-the-verified-site");
        var unverified = await _leads.SiteAsync(unverifiedOwner, verified: false, "token-of-the-unverified-site");
        await _leads.SubscribeAsync(siteId, "guarded.reader@example.org");

        Assert.Equal(HttpStatusCode.Unauthorized, (await AnnounceAsync(siteId, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await AnnounceAsync(siteId, Guid.NewGuid())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await AnnounceAsync(siteId, null, token: "token-of-the-unverified-site")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await AnnounceAsync(unverified, unverifiedOwner)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await AnnounceAsync(unverified, null, token: "token-of-the-unverified-site")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _leads.SendAsync(HttpMethod.Put, $"/api/sites/{siteId}/announcements/settings", new { releases = "auto" }, Guid.NewGuid())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _leads.SendAsync(HttpMethod.Get, $"/api/sites/{siteId}/announcements")).StatusCode);

        using var injected = await AnnounceAsync(siteId, maintainer, "Hello\r\nBcc: everyone@example.org");
        Assert.Equal(HttpStatusCode.BadRequest, injected.StatusCode);
        Assert.True((await injected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("subject", out _));
        using var tooLarge = await AnnounceAsync(siteId, maintainer, markdown: new string('x', 100 * 1024 + 1));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await AnnounceAsync(siteId, maintainer, audience: "everyone")).StatusCode);
        // A test needs the maintainer's own verified address.
        Assert.Equal(HttpStatusCode.Conflict, (await AnnounceAsync(siteId, maintainer, audience: "test")).StatusCode);

        Assert.Equal(0, (await _leads.AnnouncementsAsync(siteId, maintainer)).GetArrayLength());
        Assert.Single(_leads.Smtp.To("guarded.reader@example.org"));
    }

    [Fact]
    public async Task A_site_sends_at_most_its_daily_broadcasts()
    {
        var maintainer = Guid.NewGuid();
        var siteId = await _leads.SiteAsync(maintainer, verified: true);
        Assert.Equal(HttpStatusCode.Accepted, (await AnnounceAsync(siteId, maintainer, "One")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await AnnounceAsync(siteId, maintainer, "Two")).StatusCode);

        using var third = await AnnounceAsync(siteId, maintainer, "Three");
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        var retryAfter = int.Parse(third.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 86_000, 86_400);
        Assert.Equal(2, (await _leads.AnnouncementsAsync(siteId, maintainer)).GetArrayLength());
    }

    [Fact]
    public async Task A_release_is_drafted_for_review_by_default_and_sent_at_once_when_the_site_says_auto()
    {
        var maintainer = Guid.NewGuid();
        var siteId = await _leads.SiteAsync(maintainer, verified: true);
        await _leads.SubscribeAsync(siteId, "release.reader@example.org");

        await _leads.Bus.Publish(new ReleasePublished(siteId, "Kite", "v2.0.0", "## Changes\n- <script>alert(1)</script> safer kites", "https://github.com/octo/kite/releases/v2.0.0", DateTimeOffset.UtcNow));
        var drafts = await Eventually.ReturnsAsync(() => _leads.AnnouncementsAsync(siteId, maintainer), list => list.GetArrayLength() == 1);
        var draft = drafts[0];
        Assert.Equal("draft", draft.GetProperty("status").GetString());
        Assert.Equal("Kite v2.0.0", draft.GetProperty("subject").GetString());
        Assert.Equal("v2.0.0", draft.GetProperty("release").GetString());
        Assert.Single(_leads.Smtp.To("release.reader@example.org"));

        // A repeated message drafts nothing more; the maintainer sends the draft after review.
        await _leads.Bus.Publish(new ReleasePublished(siteId, "Kite", "v2.0.0", "again", null, DateTimeOffset.UtcNow));
        using var send = await _leads.SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/announcements/{draft.GetProperty("id").GetString()}/send", new { }, maintainer);
        Assert.Equal(HttpStatusCode.Accepted, send.StatusCode);
        var release = (await _leads.MailToAsync("release.reader@example.org", 2))[1];
        Assert.Equal("Kite v2.0.0", release.Subject);
        Assert.DoesNotContain("<script>", release.HtmlBody);
        Assert.Contains("&lt;script&gt;", release.HtmlBody);

        Assert.Equal(HttpStatusCode.OK, (await _leads.SendAsync(HttpMethod.Put, $"/api/sites/{siteId}/announcements/settings", new { releases = "auto" }, maintainer)).StatusCode);
        await _leads.Bus.Publish(new ReleasePublished(siteId, "Kite", "v2.1.0", "Smaller.", null, DateTimeOffset.UtcNow));
        Assert.Equal("Kite v2.1.0", (await _leads.MailToAsync("release.reader@example.org", 3))[2].Subject);
        Assert.Equal(2, (await _leads.AnnouncementsAsync(siteId, maintainer)).GetArrayLength());
    }
}
