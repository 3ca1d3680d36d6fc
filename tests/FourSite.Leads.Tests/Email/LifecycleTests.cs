using System.Net;
using Dapper;
using FourSite.Contracts.Accounts;
using FourSite.Contracts.Generation;
using FourSite.Testing;
using Xunit;

namespace FourSite.Leads.Tests.Email;

/// <summary>What becomes of email when its site is removed, its maintainer's account erased, or a message cannot be written at all.</summary>
public sealed class LifecycleTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private EmailService _leads = null!;

    public async Task InitializeAsync() => _leads = await EmailService.StartAsync(servers);

    public async Task DisposeAsync() => await _leads.DisposeAsync();

    [Fact]
    public async Task A_removed_sites_subscribers_consent_and_waiting_emails_go_with_it()
    {
        var maintainer = Guid.NewGuid();
        var siteId = await _leads.SiteAsync(maintainer, verified: true);
        await _leads.SubscribeAsync(siteId, "removed.reader@example.org");
        await using var connection = _leads.Database();
        // An email still waiting (as if the relay were away) must not go out once the site is gone.
        await connection.ExecuteAsync("""
            INSERT INTO outgoing_emails (id, kind, recipient, recipient_normalized, site_id, payload, message_id, next_attempt_at)
            VALUES (gen_random_uuid(), 'new_lead', 'someone@example.org', 'someone@example.org', @siteId, '{}', '<waiting@4site.test>', now() + interval '1 hour')
            """, new { siteId });

        await _leads.Bus.Publish(new SiteRemoved(siteId, "kite", DateTimeOffset.UtcNow));
        await Eventually.ReturnsAsync(() => connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM removed_sites WHERE site_id = @siteId)", new { siteId }), removed => removed);

        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM subscriptions WHERE site_id = @siteId", new { siteId }));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM outgoing_emails WHERE site_id = @siteId", new { siteId }));
        Assert.Equal(HttpStatusCode.NotFound, (await _leads.SendAsync(HttpMethod.Get, $"/api/sites/{siteId}/announcements", account: maintainer)).StatusCode);
    }

    [Fact]
    public async Task An_erased_accounts_notification_address_and_settings_go()
    {
        var maintainer = Guid.NewGuid();
        var siteId = await _leads.SiteAsync(maintainer, verified: true);
        (await _leads.SendAsync(HttpMethod.Put, "/api/notifications/address", new { email = "erased@kite.example" }, maintainer)).EnsureSuccessStatusCode();
        (await _leads.SendAsync(HttpMethod.Put, $"/api/sites/{siteId}/notifications", new { leads = "instant", digestHour = 9 }, maintainer)).EnsureSuccessStatusCode();

        await _leads.Bus.Publish(new AccountErased(maintainer, DateTimeOffset.UtcNow));
        await using var connection = _leads.Database();
        await Eventually.ReturnsAsync(() => connection.ExecuteScalarAsync<int>("SELECT count(*) FROM notification_addresses WHERE account_id = @maintainer", new { maintainer }), count => count == 0);

        Assert.Equal(HttpStatusCode.NotFound, (await _leads.SendAsync(HttpMethod.Get, "/api/notifications/address", account: maintainer)).StatusCode);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM lead_notification_settings WHERE account_id = @maintainer", new { maintainer }));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM email_tokens WHERE account_id = @maintainer", new { maintainer }));
    }

    [Fact]
    public async Task An_email_that_cannot_be_written_fails_once_and_the_rest_go_out()
    {
        var siteId = await _leads.SiteAsync(Guid.NewGuid(), verified: true);
        await using var connection = _leads.Database();
        await connection.ExecuteAsync("""
            INSERT INTO outgoing_emails (id, kind, recipient, recipient_normalized, site_id, payload, message_id)
            VALUES (gen_random_uuid(), 'confirmation', 'not an address', 'not an address', @siteId, '{"token":"x","project":"Kite"}', '<broken@4site.test>')
            """, new { siteId });
        await _leads.SubscribeAsync(siteId, "after.broken@example.org");

        var broken = await Eventually.ReturnsAsync(
            () => connection.QuerySingleAsync<(string Status, int Attempts, string? Error)>("SELECT status, attempts, last_error FROM outgoing_emails WHERE message_id = '<broken@4site.test>'"),
            row => row.Status != "pending");
        Assert.Equal("failed", broken.Status);
        Assert.Equal(1, broken.Attempts);
        Assert.StartsWith("not composed", broken.Error);
    }
}
