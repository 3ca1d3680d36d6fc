using Dapper;
using FourSite.Leads.Privacy;
using FourSite.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FourSite.Leads.Tests.Email;

/// <summary>Retention: opt-ins nobody confirmed and bots' captures are deleted once old; confirmed ones and newer rows are kept.</summary>
public sealed class RetentionTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private EmailService _leads = null!;

    public async Task InitializeAsync() => _leads = await EmailService.StartAsync(servers);

    public async Task DisposeAsync() => await _leads.DisposeAsync();

    [Fact]
    public async Task Old_unconfirmed_subscriptions_and_old_bot_captures_are_deleted_newer_and_confirmed_ones_kept()
    {
        var site = await _leads.SiteAsync(Guid.NewGuid(), verified: false, "token-of-a-retention-site");
        await _leads.SubscribeAsync(site, "confirmed.long.ago@example.org");
        (await _leads.CaptureAsync(site, "never.confirmed@example.org")).EnsureSuccessStatusCode();
        (await _leads.CaptureAsync(site, "recently.asked@example.org")).EnsureSuccessStatusCode();
        await using var connection = _leads.Database();
        await connection.ExecuteAsync("""
            UPDATE subscriptions SET captured_at = now() - interval '31 days' WHERE email_normalized IN ('confirmed.long.ago@example.org', 'never.confirmed@example.org');
            INSERT INTO leads (id, site_id, email, email_normalized, lead_score, score_breakdown, is_spam, captured_at)
            SELECT gen_random_uuid(), @site, e, e, 0, '{}'::jsonb, true, now() - make_interval(days => d)
            FROM (VALUES ('old.bot@example.org', 31), ('new.bot@example.org', 1)) AS bots(e, d);
            """, new { site });

        var (subscriptions, spam) = await _leads.Service.Services.GetRequiredService<RetentionJob>().RunOnceAsync(CancellationToken.None);

        Assert.Equal((1, 1), (subscriptions, spam));
        var left = (await connection.QueryAsync<string>("SELECT email_normalized FROM subscriptions WHERE site_id = @site ORDER BY 1", new { site })).ToList();
        Assert.Equal(["confirmed.long.ago@example.org", "recently.asked@example.org"], left);
        var bots = (await connection.QueryAsync<string>("SELECT email_normalized FROM leads WHERE site_id = @site AND is_spam", new { site })).ToList();
        Assert.Equal(["new.bot@example.org"], bots);
        // The person's lead stays: only the unconfirmed consent record went.
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM leads WHERE email_normalized = 'never.confirmed@example.org'"));
    }
}
