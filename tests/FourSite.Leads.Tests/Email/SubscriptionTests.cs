using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FourSite.Testing;
using Xunit;

namespace FourSite.Leads.Tests.Email;

/// <summary>Double opt-in over a real SMTP exchange: a pending subscription, one confirmation, a GET that changes nothing, a POST that confirms.</summary>
public sealed class SubscriptionTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private EmailService _leads = null!;

    public async Task InitializeAsync() => _leads = await EmailService.StartAsync(servers);

    public async Task DisposeAsync() => await _leads.DisposeAsync();

    [Fact]
    public async Task An_opt_in_is_confirmed_by_the_emailed_link_and_its_consent_is_recorded()
    {
        var maintainer = Guid.NewGuid();
        var siteId = await _leads.SiteAsync(maintainer, verified: true);
        const string visitor = "reader.one@example.org";

        using var captured = await _leads.CaptureAsync(siteId, visitor);
        Assert.Equal(HttpStatusCode.Created, captured.StatusCode);
        var confirmation = Assert.Single(await _leads.MailToAsync(visitor));
        Assert.Equal("Confirm you want news from Kite", confirmation.Subject);
        Assert.Equal("hello@4site.test", confirmation.From.Mailboxes.Single().Address);
        Assert.Contains("/e/confirm/", confirmation.TextBody);
        // The project's page, and a link to pass it on by email that counts as an email share.
        Assert.Contains($"{EmailService.PublicUrl}/s/kite-", confirmation.HtmlBody);
        Assert.Contains("via%3Demail", confirmation.HtmlBody);
        Assert.Equal(1, (await _leads.CountsAsync(siteId, maintainer)).GetProperty("pending").GetInt32());

        // What a mail scanner does: a GET shows the page and changes nothing.
        var link = EmailService.LinkPath(confirmation, "/e/confirm/");
        using (var shown = await _leads.Client.GetAsync(link))
        {
            Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
            Assert.Equal("no-referrer", shown.Headers.GetValues("Referrer-Policy").Single());
            var page = await shown.Content.ReadAsStringAsync();
            Assert.Contains("<form method=\"post\">", page);
            Assert.Contains("reader.one@example.org", page);
        }

        Assert.Equal(0, (await _leads.CountsAsync(siteId, maintainer)).GetProperty("confirmed").GetInt32());

        using var request = new HttpRequestMessage(HttpMethod.Post, link);
        request.Headers.UserAgent.ParseAdd("ConfirmingBrowser/1.0");
        using var confirmed = await _leads.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains("subscribed", await confirmed.Content.ReadAsStringAsync());
        var counts = await _leads.CountsAsync(siteId, maintainer);
        Assert.Equal(1, counts.GetProperty("confirmed").GetInt32());
        Assert.Equal(0, counts.GetProperty("pending").GetInt32());

        // The site's funnel hears of it once, without the address: a second press of the button announces nothing more.
        using (var again = new HttpRequestMessage(HttpMethod.Post, link))
        {
            using var repeated = await _leads.Client.SendAsync(again);
        }

        await using (var outbox = _leads.Database())
        {
            var announced = (await outbox.QueryAsync<string>(
                "SELECT body::text FROM outbox_messages WHERE message_type LIKE 'FourSite.Contracts.Leads.SubscriptionConfirmed,%' AND body->>'siteId' = @site",
                new { site = siteId.ToString() })).ToList();
            Assert.DoesNotContain(visitor, Assert.Single(announced));
        }

        // The operator's export of the person shows the consent: the wording, when and from where it was given and confirmed.
        using var export = new HttpRequestMessage(HttpMethod.Get, $"/api/leads/export?email={visitor}");
        export.Headers.Add("X-Api-Key", EmailService.OperatorKey);
        var exported = await (await _leads.Client.SendAsync(export)).Content.ReadFromJsonAsync<JsonElement>();
        var subscription = exported[0].GetProperty("subscription");
        Assert.Equal("confirmed", subscription.GetProperty("status").GetString());
        Assert.Equal(Contracts.Leads.NewsletterConsent.Wording, subscription.GetProperty("consentWording").GetString());
        Assert.Equal(Contracts.Leads.NewsletterConsent.Version, subscription.GetProperty("consentVersion").GetString());
        Assert.Equal("ConfirmingBrowser/1.0", subscription.GetProperty("confirmedUserAgent").GetString());
        Assert.NotEqual(JsonValueKind.Null, subscription.GetProperty("confirmedAt").ValueKind);

        // Erasure forgets the subscription and its consent with the lead.
        using var erase = new HttpRequestMessage(HttpMethod.Delete, $"/api/leads?email={visitor}");
        erase.Headers.Add("X-Api-Key", EmailService.OperatorKey);
        Assert.Equal(HttpStatusCode.NoContent, (await _leads.Client.SendAsync(erase)).StatusCode);
        await using var connection = _leads.Database();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM subscriptions WHERE email_normalized = 'reader.one@example.org'"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM outgoing_emails WHERE recipient_normalized = 'reader.one@example.org'"));
    }

    [Fact]
    public async Task Repeated_captures_send_one_confirmation_a_day_and_no_opt_in_sends_nothing()
    {
        var siteId = await _leads.SiteAsync(Guid.NewGuid(), verified: false);
        for (var i = 0; i < 3; i++)
        {
            (await _leads.CaptureAsync(siteId, "repeat.reader@example.org")).EnsureSuccessStatusCode();
        }

        (await _leads.CaptureAsync(siteId, "no.news@example.org", optIn: false)).EnsureSuccessStatusCode();
        await _leads.MailToAsync("repeat.reader@example.org");
        // Whatever was going to be sent has been by the time a later email arrives.
        await _leads.SubscribeAsync(siteId, "later.reader@example.org");

        Assert.Single(_leads.Smtp.To("repeat.reader@example.org"));
        Assert.Empty(_leads.Smtp.To("no.news@example.org"));
    }

    [Fact]
    public async Task Forged_and_expired_links_show_a_page_saying_so_and_change_nothing()
    {
        var maintainer = Guid.NewGuid();
        var siteId = await _leads.SiteAsync(maintainer, verified: true);
        (await _leads.CaptureAsync(siteId, "slow.reader@example.org")).EnsureSuccessStatusCode();
        var link = EmailService.LinkPath((await _leads.MailToAsync("slow.reader@example.org"))[0], "/e/confirm/");

        foreach (var forged in new[] { "/e/confirm/not-a-token", $"/e/confirm/{new string('A', 43)}", "/e/unsubscribe/" + new string('b', 43) })
        {
            using var refused = await _leads.Client.PostAsync(forged, null);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("not valid", await refused.Content.ReadAsStringAsync());
        }

        await using (var connection = _leads.Database())
        {
            await connection.ExecuteAsync("UPDATE email_tokens SET expires_at = now() - interval '1 minute'");
        }

        using var expired = await _leads.Client.PostAsync(link, null);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync());
        Assert.Equal(1, (await _leads.CountsAsync(siteId, maintainer)).GetProperty("pending").GetInt32());
    }
}
