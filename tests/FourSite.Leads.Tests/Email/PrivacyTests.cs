using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FourSite.Testing;
using Xunit;

namespace FourSite.Leads.Tests.Email;

/// <summary>
/// A visitor acts on their own data by an emailed link: the request answers the same whatever is held; the link shows and
/// downloads what every page holds, erases it from one page or all; forged and expired links change nothing; an address
/// gets at most three links a day.
/// </summary>
public sealed class PrivacyTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private EmailService _leads = null!;

    public async Task InitializeAsync() => _leads = await EmailService.StartAsync(servers);

    public async Task DisposeAsync() => await _leads.DisposeAsync();

    private async Task<string> RequestLinkAsync(string email, int expectedMails)
    {
        using var requested = await _leads.Client.PostAsJsonAsync("/api/privacy/requests", new { email });
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        var mail = (await _leads.MailToAsync(email, expectedMails))[^1];
        Assert.Equal("Your data at FourSite", mail.Subject);
        return EmailService.LinkPath(mail, "/privacy/");
    }

    private async Task<int> HeldAsync(string normalised)
    {
        await using var connection = _leads.Database();
        return await connection.ExecuteScalarAsync<int>("""
            SELECT (SELECT count(*) FROM leads WHERE email_normalized = @normalised)
                 + (SELECT count(*) FROM subscriptions WHERE email_normalized = @normalised)
                 + (SELECT count(*) FROM outgoing_emails WHERE recipient_normalized = @normalised)
                 + (SELECT count(*) FROM email_tokens WHERE email = @normalised)
                 + (SELECT count(*) FROM global_unsubscribes WHERE email_normalized = @normalised)
            """, new { normalised });
    }

    [Fact]
    public async Task A_person_sees_downloads_and_erases_their_data_from_one_page_then_all()
    {
        const string person = "private.person@example.org";
        var kite = await _leads.SiteAsync(Guid.NewGuid(), verified: true, "token-of-a-privacy-site");
        var other = await _leads.SiteAsync(Guid.NewGuid(), verified: false, "token-of-another-privacy-site");
        await _leads.SubscribeAsync(kite, person);
        (await _leads.CaptureAsync(other, person, optIn: false)).EnsureSuccessStatusCode();
        var mailsBefore = _leads.Smtp.To(person).Count;

        var link = await RequestLinkAsync(person, mailsBefore + 1);

        using (var page = await _leads.Client.GetAsync(link))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
            var html = await page.Content.ReadAsStringAsync();
            Assert.Equal(2, html.Split("data-testid=\"privacy-site\"").Length - 1);
            Assert.Contains("You agreed to:", html, StringComparison.Ordinal);
        }

        using (var export = await _leads.Client.GetAsync($"{link}/export"))
        {
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
            Assert.Contains("attachment", export.Content.Headers.ContentDisposition?.ToString() ?? export.Headers.GetValues("Content-Disposition").First(), StringComparison.Ordinal);
            var data = (await export.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data");
            Assert.Equal(2, data.GetProperty("leads").GetArrayLength());
            // Each form named its recipient as the site's verification stood: the maintainers of the verified one.
            Assert.Equal(["page_owner", "verified_maintainers"], data.GetProperty("leads").EnumerateArray()
                .Select(lead => lead.GetProperty("consentRecipient").GetString()).Order(StringComparer.Ordinal));
            var subscription = data.GetProperty("subscriptions").EnumerateArray().Single();
            Assert.Equal("confirmed", subscription.GetProperty("status").GetString());
            Assert.False(string.IsNullOrEmpty(subscription.GetProperty("consentWording").GetString()));
        }

        // A GET of the erase address (a link scanner's) changes nothing; the form's POST for one site erases only that site.
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _leads.Client.GetAsync($"{link}/erase")).StatusCode);
        using (var one = await _leads.Client.PostAsync($"{link}/erase", new FormUrlEncodedContent([new("site", kite.ToString())])))
        {
            Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        }

        await using var connection = _leads.Database();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM leads WHERE email_normalized = @person AND site_id = @kite", new { person, kite }));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM subscriptions WHERE email_normalized = @person", new { person }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM leads WHERE email_normalized = @person AND site_id = @other", new { person, other }));
        var announced = await connection.QuerySingleAsync<string>(
            "SELECT body::text FROM outbox_messages WHERE message_type LIKE 'FourSite.Contracts.Leads.LeadErased%' ORDER BY created_at DESC LIMIT 1");
        Assert.Contains(kite.ToString(), announced, StringComparison.Ordinal);

        using (var all = await _leads.Client.PostAsync($"{link}/erase", null))
        {
            Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        }

        Assert.Equal(0, await HeldAsync(person));
        // The link went with the rest.
        Assert.Equal(HttpStatusCode.BadRequest, (await _leads.Client.GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task Erasure_reaches_the_copies_leads_keeps_webhook_payloads_lead_emails_digest_lines_and_announcements()
    {
        const string person = "copied.person@example.org";
        const string neighbour = "kept.person@example.org";
        var account = Guid.NewGuid();
        var site = await _leads.SiteAsync(account, verified: true, "token-of-a-copying-site");
        await using var connection = _leads.Database();
        // The verified maintainer hears of each lead at once and has a webhook (which cannot be reached: it stays pending).
        await connection.ExecuteAsync("""
            INSERT INTO notification_addresses (account_id, email, email_normalized, verified_at) VALUES (@account, 'owner@example.org', 'owner@example.org', now());
            INSERT INTO lead_notification_settings (site_id, account_id, mode) VALUES (@site, @account, 'instant');
            INSERT INTO webhooks (id, site_id, url, events, secret, created_by_account_id) VALUES (gen_random_uuid(), @site, 'http://127.0.0.1:9/hook', '{lead.captured}', 'secret', @account);
            """, new { account, site });
        (await _leads.CaptureAsync(site, person, optIn: false)).EnsureSuccessStatusCode();
        (await _leads.CaptureAsync(site, neighbour, optIn: false)).EnsureSuccessStatusCode();
        // And yesterday's digest listed both.
        await connection.ExecuteAsync("""
            INSERT INTO outgoing_emails (id, kind, recipient, recipient_normalized, site_id, payload, message_id, status)
            VALUES (gen_random_uuid(), 'lead_digest', 'owner@example.org', 'owner@example.org', @site,
                    jsonb_build_object('project', 'Kite', 'count', 2, 'top', jsonb_build_array(jsonb_build_object('email', @person, 'leadScore', 40),
                                       jsonb_build_object('email', @neighbour, 'leadScore', 30)), 'since', now()), '<digest@example.org>', 'sent')
            """, new { site, person, neighbour });
        const string copies = """
            SELECT (SELECT count(*) FROM webhook_deliveries WHERE payload LIKE '%' || @email || '%')
                 + (SELECT count(*) FROM outgoing_emails WHERE payload::text LIKE '%' || @email || '%')
                 + (SELECT count(*) FROM outbox_messages WHERE body->>'personHash' = encode(sha256(convert_to(@email, 'UTF8')), 'hex'))
            """;
        Assert.Equal(4, await connection.ExecuteScalarAsync<int>(copies, new { email = person }));

        var link = await RequestLinkAsync(person, 1);
        (await _leads.Client.PostAsync($"{link}/erase", null)).EnsureSuccessStatusCode();

        // Only the erasure notice that tells the other services remains.
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(copies, new { email = person }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM outbox_messages WHERE body->>'personHash' = encode(sha256(convert_to(@person, 'UTF8')), 'hex') AND message_type LIKE 'FourSite.Contracts.Leads.LeadErased,%'", new { person }));
        Assert.Equal(4, await connection.ExecuteScalarAsync<int>(copies, new { email = neighbour }));
    }

    [Fact]
    public async Task A_capture_records_the_consent_text_the_form_showed_when_and_on_which_page()
    {
        const string person = "consenting.person@example.org";
        var site = await _leads.SiteAsync(Guid.NewGuid(), verified: false, "token-of-a-consent-site");
        var before = DateTime.UtcNow.AddSeconds(-5);

        using var refused = await _leads.Client.PostAsJsonAsync("/api/leads/capture", new { email = person, siteId = site, consentVersion = "1999-01-01" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("consentVersion", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var capture = new HttpRequestMessage(HttpMethod.Post, "/api/leads/capture")
        {
            Content = JsonContent.Create(new { email = person, siteId = site, newsletterOptIn = false, consentVersion = Contracts.Leads.LeadFormConsent.Version }),
        };
        capture.Headers.Referrer = new Uri("https://4site.pro/s/kite-1a2b3c4d?ref=ABCD1234#capture");
        (await _leads.Client.SendAsync(capture)).EnsureSuccessStatusCode();

        var link = await RequestLinkAsync(person, 1);
        using var export = await _leads.Client.GetAsync($"{link}/export");
        var lead = (await export.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("leads").EnumerateArray().Single();
        Assert.Equal(Contracts.Leads.LeadFormConsent.Version, lead.GetProperty("consentVersion").GetString());
        // The site is not verified: its form named whoever launched it as the recipient.
        Assert.Equal("page_owner", lead.GetProperty("consentRecipient").GetString());
        Assert.Equal(Contracts.Leads.LeadFormConsent.RecipientNotice, lead.GetProperty("consentWording").GetString());
        // Only the page's path: no referral code, no fragment.
        Assert.Equal("/s/kite-1a2b3c4d", lead.GetProperty("consentPage").GetString());
        Assert.InRange(lead.GetProperty("consentAt").GetDateTime(), before, DateTime.UtcNow.AddSeconds(5));
        Assert.False(lead.GetProperty("newsletterOptIn").GetBoolean());
        var page = await (await _leads.Client.GetAsync(link)).Content.ReadAsStringAsync();
        Assert.Contains("The form told you:", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forged_and_expired_links_show_and_change_nothing_and_an_address_gets_three_links_a_day()
    {
        const string person = "careful.person@example.org";
        var site = await _leads.SiteAsync(Guid.NewGuid(), verified: false, "token-of-a-careful-site");
        (await _leads.CaptureAsync(site, person, optIn: false)).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.BadRequest, (await _leads.Client.GetAsync($"/privacy/{new string('A', 43)}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _leads.Client.PostAsync($"/privacy/{new string('A', 43)}/erase", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _leads.Client.PostAsJsonAsync("/api/privacy/requests", new { email = "not an address" })).StatusCode);

        var link = await RequestLinkAsync(person, 1);
        await using var connection = _leads.Database();
        await connection.ExecuteAsync("UPDATE email_tokens SET expires_at = now() - interval '1 minute' WHERE purpose = 'privacy' AND email = @person", new { person });
        Assert.Equal(HttpStatusCode.Gone, (await _leads.Client.GetAsync(link)).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await _leads.Client.PostAsync($"{link}/erase", null)).StatusCode);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM leads WHERE email_normalized = @person", new { person }));

        await RequestLinkAsync(person, 2);
        await RequestLinkAsync(person, 3);
        using var fourth = await _leads.Client.PostAsJsonAsync("/api/privacy/requests", new { email = person });
        Assert.Equal(HttpStatusCode.Accepted, fourth.StatusCode);
        // An address nobody left anywhere gets its link too: the answer and the email say nothing about what is held.
        await RequestLinkAsync("nobody.here@example.org", 1);
        Assert.Equal(3, _leads.Smtp.To(person).Count);
    }
}
