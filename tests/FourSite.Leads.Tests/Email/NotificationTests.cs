using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FourSite.Contracts.Generation;
using FourSite.Leads.Notifications;
using FourSite.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace FourSite.Leads.Tests.Email;

/// <summary>A maintainer hears of leads at an address they verified: each lead at once, or a daily digest; the emails show only what the dashboard would.</summary>
public sealed class NotificationTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private EmailService _leads = null!;

    public async Task InitializeAsync() => _leads = await EmailService.StartAsync(servers);

    public async Task DisposeAsync() => await _leads.DisposeAsync();

    private async Task VerifyAddressAsync(Guid account, string email)
    {
        using var set = await _leads.SendAsync(HttpMethod.Put, "/api/notifications/address", new { email }, account);
        Assert.Equal(HttpStatusCode.Accepted, set.StatusCode);
        var verification = (await _leads.MailToAsync(email))[^1];
        Assert.Equal("Verify your address for FourSite lead notifications", verification.Subject);
        var link = EmailService.LinkPath(verification, "/e/verify/");
        using var page = await _leads.Client.GetAsync(link);
        var body = await page.Content.ReadAsStringAsync();
        Assert.True(body.Contains("<form method=\"post\">", StringComparison.Ordinal), body);
        Assert.False((await (await _leads.SendAsync(HttpMethod.Get, "/api/notifications/address", account: account)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verified").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await _leads.Client.PostAsync(link, null)).StatusCode);
        Assert.True((await (await _leads.SendAsync(HttpMethod.Get, "/api/notifications/address", account: account)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task A_verified_maintainer_hears_of_each_new_lead_in_full_and_a_token_owner_masked()
    {
        var maintainer = Guid.NewGuid();
        var verifiedSite = await _leads.SiteAsync(maintainer, verified: true, "token-of-a-notified-site");
        var owner = Guid.NewGuid();
        var unverifiedSite = await _leads.SiteAsync(owner, verified: false, "token-of-an-unverified-notified-site");
        await VerifyAddressAsync(maintainer, "maintainer@kite.example");
        await VerifyAddressAsync(owner, "owner@kite.example");

        Assert.Equal(HttpStatusCode.Unauthorized, (await _leads.SendAsync(HttpMethod.Put, $"/api/sites/{unverifiedSite}/notifications", new { leads = "instant" }, token: "token-of-an-unverified-notified-site")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _leads.SendAsync(HttpMethod.Put, $"/api/sites/{verifiedSite}/notifications", new { leads = "instant" }, owner)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _leads.SendAsync(HttpMethod.Put, $"/api/sites/{verifiedSite}/notifications", new { leads = "hourly" }, maintainer)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _leads.SendAsync(HttpMethod.Put, $"/api/sites/{verifiedSite}/notifications", new { leads = "instant", digestHour = 9 }, maintainer)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _leads.SendAsync(HttpMethod.Put, $"/api/sites/{unverifiedSite}/notifications", new { leads = "instant", digestHour = 9 }, owner)).StatusCode);

        (await _leads.CaptureAsync(verifiedSite, "jane.reader@example.org", optIn: false)).EnsureSuccessStatusCode();
        (await _leads.CaptureAsync(unverifiedSite, "john.reader@example.org", optIn: false)).EnsureSuccessStatusCode();

        var full = (await _leads.MailToAsync("maintainer@kite.example", 2))[1];
        Assert.Equal("New lead for Kite: jane.reader@example.org", full.Subject);
        var masked = (await _leads.MailToAsync("owner@kite.example", 2))[1];
        Assert.Equal("New lead for Kite: j***@example.org", masked.Subject);
        Assert.DoesNotContain("john.reader", masked.TextBody);

        // A repeat of the same person is not a new lead.
        (await _leads.CaptureAsync(verifiedSite, "jane.reader@example.org", optIn: false)).EnsureSuccessStatusCode();
        (await _leads.CaptureAsync(verifiedSite, "second.reader@example.org", optIn: false)).EnsureSuccessStatusCode();
        await _leads.MailToAsync("maintainer@kite.example", 3);
        Assert.Equal(3, _leads.Smtp.To("maintainer@kite.example").Count);
    }

    [Fact]
    public async Task A_suspended_site_refuses_captures_its_owner_hears_why_and_a_reinstatement_opens_it_again()
    {
        var maintainer = Guid.NewGuid();
        var siteId = await _leads.SiteAsync(maintainer, verified: true, "token-of-a-suspended-site");
        await VerifyAddressAsync(maintainer, "suspended@kite.example");
        (await _leads.CaptureAsync(siteId, "before@example.org", optIn: false)).EnsureSuccessStatusCode();

        var suspendedAt = DateTimeOffset.UtcNow;
        await _leads.Bus.Publish(new SiteSuspended(siteId, "kite", "abuse", "Phishing <form> for passwords", suspendedAt));
        var notice = (await _leads.MailToAsync("suspended@kite.example", 2))[^1];
        Assert.Equal("Kite was suspended", notice.Subject);
        Assert.Contains("Phishing <form> for passwords", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains("Phishing &lt;form&gt; for passwords", notice.HtmlBody, StringComparison.Ordinal);

        using (var refused = await _leads.CaptureAsync(siteId, "during@example.org", optIn: false))
        {
            Assert.Equal(HttpStatusCode.Gone, refused.StatusCode);
            Assert.Equal("site_suspended", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        // The leads it had stay; a repeat of the suspension changes nothing and sends nothing more.
        await using var connection = _leads.Database();
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM leads WHERE site_id = @siteId", new { siteId }));
        await _leads.Bus.Publish(new SiteSuspended(siteId, "kite", "abuse", "Phishing <form> for passwords", suspendedAt));

        await _leads.Bus.Publish(new SiteReinstated(siteId, "kite", suspendedAt.AddMinutes(5)));
        var back = (await _leads.MailToAsync("suspended@kite.example", 3))[^1];
        Assert.Equal("Kite is back online", back.Subject);
        (await _leads.CaptureAsync(siteId, "after@example.org", optIn: false)).EnsureSuccessStatusCode();

        // An older decision arriving late does not undo the newer one.
        await _leads.Bus.Publish(new SiteSuspended(siteId, "kite", "abuse", "stale", suspendedAt.AddMinutes(1)));
        await _leads.Bus.Publish(new SiteReinstated(siteId, "kite", suspendedAt.AddMinutes(6)));
        await _leads.MailToAsync("suspended@kite.example", 3);
        await Eventually.ReturnsAsync(() => connection.ExecuteScalarAsync<DateTime>("SELECT changed_at FROM suspended_sites WHERE site_id = @siteId", new { siteId }),
            changed => changed >= suspendedAt.AddMinutes(6).UtcDateTime.AddMilliseconds(-1));
        (await _leads.CaptureAsync(siteId, "later@example.org", optIn: false)).EnsureSuccessStatusCode();
        Assert.Equal(3, _leads.Smtp.To("suspended@kite.example").Count);
    }

    [Fact]
    public async Task A_daily_digest_lists_the_days_leads_best_first_once()
    {
        var maintainer = Guid.NewGuid();
        var siteId = await _leads.SiteAsync(maintainer, verified: true);
        await VerifyAddressAsync(maintainer, "digest@kite.example");
        var hour = DateTime.UtcNow.Hour;
        Assert.Equal(HttpStatusCode.OK, (await _leads.SendAsync(HttpMethod.Put, $"/api/sites/{siteId}/notifications", new { leads = "digest", digestHour = hour }, maintainer)).StatusCode);
        (await _leads.CaptureAsync(siteId, "first.reader@example.org", optIn: false)).EnsureSuccessStatusCode();
        (await _leads.CaptureAsync(siteId, "second.reader@example.org", optIn: true)).EnsureSuccessStatusCode();
        await using (var connection = _leads.Database())
        {
            // As if the last digest went out yesterday.
            await connection.ExecuteAsync("UPDATE lead_notification_settings SET last_digest_at = now() - interval '1 day' WHERE site_id = @siteId", new { siteId });
        }

        var scheduler = _leads.Service.Services.GetServices<IHostedService>().OfType<LeadDigestScheduler>().Single();
        while (await scheduler.WriteNextAsync(CancellationToken.None))
        {
        }

        var digest = (await _leads.MailToAsync("digest@kite.example", 2))[1];
        Assert.Equal("2 new leads for Kite", digest.Subject);
        var text = digest.TextBody ?? "";
        Assert.True(text.IndexOf("second.reader@example.org", StringComparison.Ordinal) < text.IndexOf("first.reader@example.org", StringComparison.Ordinal));
        Assert.False(await scheduler.WriteNextAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_test_announcement_goes_to_the_maintainers_own_address_only()
    {
        var maintainer = Guid.NewGuid();
        var siteId = await _leads.SiteAsync(maintainer, verified: true);
        await _leads.SubscribeAsync(siteId, "not.yet@example.org");
        await VerifyAddressAsync(maintainer, "tester@kite.example");

        using var test = await _leads.SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/announcements", new { subject = "Draft news", markdown = "# Hi\n<img src=x onerror=alert(1)>", audience = "test" }, maintainer);
        Assert.Equal(HttpStatusCode.Accepted, test.StatusCode);
        var received = (await _leads.MailToAsync("tester@kite.example", 2))[1];
        Assert.Equal("[Test] Draft news", received.Subject);
        Assert.DoesNotContain("<img", received.HtmlBody);
        Assert.Null(received.Headers["List-Unsubscribe"]);
        Assert.Single(_leads.Smtp.To("not.yet@example.org"));
    }
}
