using Dapper;
using FourSite.Testing;
using Xunit;

namespace FourSite.Leads.Tests.Email;

/// <summary>What the dispatcher does when the SMTP server says no, or later, and when a replica dies mid-broadcast.</summary>
public sealed class DeliveryTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private static readonly Dictionary<string, string?> QuickRetries = new()
    {
        ["FourSite:Email:RetrySchedule:0"] = "00:00:01",
        ["FourSite:Email:Lease"] = "00:00:03",
    };

    private EmailService _leads = null!;

    public async Task InitializeAsync() => _leads = await EmailService.StartAsync(servers, QuickRetries);

    public async Task DisposeAsync() => await _leads.DisposeAsync();

    [Fact]
    public async Task A_recipient_refused_for_good_is_suppressed_and_never_mailed_again_and_a_deferral_is_retried()
    {
        var maintainer = Guid.NewGuid();
        var siteId = await _leads.SiteAsync(maintainer, verified: true);
        await _leads.SubscribeAsync(siteId, "gone.reader@example.org");
        await _leads.SubscribeAsync(siteId, "fine.reader@example.org");
        _leads.Smtp.Refuse("gone.reader@example.org");
        _leads.Smtp.Defer(1);

        (await _leads.SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/announcements", new { subject = "First", markdown = "One.", audience = "subscribers" }, maintainer)).EnsureSuccessStatusCode();
        await _leads.MailToAsync("fine.reader@example.org", 2);
        var first = await Eventually.ReturnsAsync(async () => (await _leads.AnnouncementsAsync(siteId, maintainer))[0], row => row.GetProperty("queued").GetInt32() == 0);
        Assert.Equal(1, first.GetProperty("sent").GetInt32());
        Assert.Equal(1, first.GetProperty("suppressed").GetInt32());
        Assert.Equal(1, (await _leads.CountsAsync(siteId, maintainer)).GetProperty("suppressed").GetInt32());

        (await _leads.SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/announcements", new { subject = "Second", markdown = "Two.", audience = "subscribers" }, maintainer)).EnsureSuccessStatusCode();
        await _leads.MailToAsync("fine.reader@example.org", 3);
        Assert.Equal(1, (await _leads.AnnouncementsAsync(siteId, maintainer))[0].GetProperty("recipients").GetInt32());
        await using var connection = _leads.Database();
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM outgoing_emails WHERE attempts > 1 AND status = 'sent'"));
    }

    [Fact]
    public async Task A_replica_stopped_mid_broadcast_leaves_the_rest_to_another_and_at_most_its_messages_in_flight_go_twice()
    {
        const int subscribers = 300;
        var maintainer = Guid.NewGuid();
        var siteId = await _leads.SiteAsync(maintainer, verified: true);
        await using (var connection = _leads.Database())
        {
            await connection.ExecuteAsync("""
                INSERT INTO subscriptions (id, site_id, email, email_normalized, status, unsubscribe_token, consent_version, consent_wording, captured_at, confirmed_at)
                SELECT gen_random_uuid(), @siteId, 'reader' || n || '@example.org', 'reader' || n || '@example.org', 'confirmed', md5(random()::text) || md5(random()::text), 'v', 'w', now(), now()
                FROM generate_series(1, @subscribers) AS n
                """, new { siteId, subscribers });
        }

        _leads.Smtp.Delay = TimeSpan.FromMilliseconds(10);
        (await _leads.SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/announcements", new { subject = "To many", markdown = "Hello.", audience = "subscribers" }, maintainer)).EnsureSuccessStatusCode();
        await Eventually.ReturnsAsync(() => Task.FromResult(_leads.Smtp.Received), received => received >= 40);

        // This replica stops in the middle; another, on the same database, takes over once the first one's leases end.
        await _leads.Service.DisposeAsync();
        var sentByFirst = _leads.Smtp.Received;
        Assert.InRange(sentByFirst, 40, subscribers - 1);
        await using var replica = _leads.Service.Replica();
        using var client = await replica.CreateReadyClientAsync();
        int Recipients() => _leads.Smtp.Messages.Select(message => message.To.Mailboxes.Single().Address).Distinct().Count();
        await Eventually.ReturnsAsync(() => Task.FromResult(Recipients()), count => count == subscribers, TimeSpan.FromSeconds(90));

        var messages = _leads.Smtp.Messages;
        var recipients = Recipients();
        var duplicates = messages.Count - messages.Select(message => message.MessageId).Distinct().Count();
        Assert.Equal(subscribers, recipients);
        // Each of the stopped replica's connections (2) had at most one message handed over and not yet recorded.
        Assert.InRange(duplicates, 0, 2);
    }
}
