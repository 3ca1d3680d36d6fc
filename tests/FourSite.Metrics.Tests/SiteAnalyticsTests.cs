using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FourSite.Contracts.Generation;
using FourSite.Contracts.Leads;
using FourSite.Contracts.Viral;
using FourSite.Metrics.Rum;
using FourSite.Metrics.SiteAnalytics;
using FourSite.ServiceDefaults.Access;
using FourSite.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace FourSite.Metrics.Tests;

/// <summary>
/// Owners' analytics: page views from a site's own script, counted per visitor without a cookie and without keeping an
/// address or a user agent, with captures, confirmations and shares, read by the site's owner only.
/// </summary>
public sealed class SiteAnalyticsTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private const string Chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
    private const string IPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

    private ServiceFactory<Program> _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var settings = TestAccounts.Settings;
        // The test runs the writer and the rollup itself.
        settings["FourSite:Metrics:RollupInterval"] = "01:00:00";
        settings["FourSite:Metrics:EvaluationInterval"] = "01:00:00";
        settings["FourSite:Metrics:RumFlushInterval"] = "01:00:00";
        settings["FourSite:Metrics:SiteAnalyticsInterval"] = "01:00:00";
        _service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, settings) { TestServices = TestClientAddress.Register };
        _client = await _service.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
    }

    private sealed record Site(Guid Id, string Slug, string Token, Guid Account);

    private async Task<Site> SiteAsync()
    {
        var site = new Site(Guid.NewGuid(), $"kite-{Guid.NewGuid():N}"[..20], $"token-{Guid.NewGuid():N}", Guid.NewGuid());
        await _service.Services.GetRequiredService<IBus>().Publish(new SiteGenerated(Guid.NewGuid(), site.Id, site.Slug, "Kite", "octo", "kite", "app", "AppTemplate",
            Guid.NewGuid(), Credentials.Hash(site.Token), "template", false, 10, DateTimeOffset.UtcNow, site.Account));
        await using var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        await Eventually.ReturnsAsync(() => connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM analytics_sites WHERE site_id = @Id)", site), known => known);
        return site;
    }

    private async Task<HttpResponseMessage> ViewAsync(string url, string address, string userAgent = Chrome, string? referrer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/analytics/pageview") { Content = JsonContent.Create(new { url, referrer }) };
        request.Headers.Add(TestClientAddress.Header, address);
        request.Headers.UserAgent.ParseAdd(userAgent);
        return await _client.SendAsync(request);
    }

    private async Task SeenAsync(string url, string address, string userAgent = Chrome, string? referrer = null)
    {
        using var response = await ViewAsync(url, address, userAgent, referrer);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private async Task RollUpAsync()
    {
        await _service.Services.GetRequiredService<RumWriter>().DrainAsync(CancellationToken.None);
        await _service.Services.GetRequiredService<SiteTrafficRollup>().RollUpAsync(DateOnly.FromDateTime(DateTime.UtcNow), CancellationToken.None);
    }

    private async Task PublishAsync<T>(T message) where T : class => await _service.Services.GetRequiredService<IBus>().Publish(message);

    private async Task<int> EventsAsync(Guid siteId)
    {
        await using var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM analytics_events WHERE site_id = @siteId", new { siteId });
    }

    private async Task<HttpResponseMessage> ReadAsync(Guid siteId, string query = "?period=7d", Guid? account = null, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/sites/{siteId}/analytics{query}").As("metrics", account, token);
        return await _client.SendAsync(request);
    }

    private async Task<JsonElement> ReportAsync(Site site, string period = "7d")
    {
        using var response = await ReadAsync(site.Id, $"?period={period}", site.Account);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static Dictionary<string, (int Visitors, int PageViews)> Counts(JsonElement list) =>
        list.EnumerateArray().ToDictionary(item => item.GetProperty("name").GetString()!, item => (item.GetProperty("visitors").GetInt32(), item.GetProperty("pageViews").GetInt32()));

    [Fact]
    public async Task Constructed_visits_shares_and_captures_give_the_counts_sources_devices_and_conversion_expected()
    {
        var site = await SiteAsync();
        var other = await SiteAsync();
        var page = $"https://4site.pro/s/{site.Slug}";

        // Visitor A (desktop): came from Hacker News through a shared link, then read two more pages of the site.
        await SeenAsync($"{page}?via=hackernews", "203.0.113.7", referrer: "https://news.ycombinator.com/item?id=1");
        await SeenAsync($"{page}#features", "203.0.113.7", referrer: page);
        await SeenAsync(page, "203.0.113.7", referrer: $"{page}?via=hackernews");
        // Visitor B (a phone on the same network): a campaign link from a newsletter.
        await SeenAsync($"{page}?utm_source=Newsletter&utm_campaign=launch-week", "203.0.113.7", IPhone, "https://www.buttondown.email/x");
        // Visitor C (desktop, elsewhere): typed the address, twice.
        await SeenAsync(page, "198.51.100.20");
        await SeenAsync(page, "198.51.100.20");
        // Visitor D: shared on X, arrived through t.co.
        await SeenAsync($"{page}?via=twitter", "192.0.2.44", referrer: "https://t.co/abc");
        // Not counted: a crawler, a link previewer, another site's page and a platform page.
        await SeenAsync(page, "66.249.66.1", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)");
        await SeenAsync(page, "18.0.0.1", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)");
        await SeenAsync($"https://4site.pro/s/{other.Slug}", "192.0.2.44");
        using (var landing = await ViewAsync("https://4site.pro/", "192.0.2.44"))
        {
            Assert.Equal(HttpStatusCode.Accepted, landing.StatusCode);
            Assert.False((await landing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("counted").GetBoolean());
        }

        // Two people left their email (one twice), one confirmed; three shares, two of them on X.
        var now = DateTimeOffset.UtcNow;
        await PublishAsync(new LeadCaptured(Guid.NewGuid(), site.Id, "person-a", 80, false, true, "app", "desktop", null, null, "session-a", null, [], now));
        await PublishAsync(new LeadCaptured(Guid.NewGuid(), site.Id, "person-a", 80, true, true, "app", "desktop", null, null, "session-a", null, [], now));
        await PublishAsync(new LeadCaptured(Guid.NewGuid(), site.Id, "person-b", 60, false, false, "app", "mobile", null, null, "session-b", null, [], now));
        await PublishAsync(new SubscriptionConfirmed(Guid.NewGuid(), site.Id, now));
        await PublishAsync(new ShareTracked(Guid.NewGuid(), site.Id, "twitter", null, 5, now));
        await PublishAsync(new ShareTracked(Guid.NewGuid(), site.Id, "twitter", null, 10, now));
        await PublishAsync(new ShareTracked(Guid.NewGuid(), site.Id, "linkedin", null, 15, now));
        await Eventually.ReturnsAsync(() => EventsAsync(site.Id), count => count == 7);
        await RollUpAsync();

        var report = await ReportAsync(site);
        var totals = report.GetProperty("totals");
        Assert.Equal((4, 7, 2, 1, 3), (totals.GetProperty("visitors").GetInt32(), totals.GetProperty("pageViews").GetInt32(), totals.GetProperty("captures").GetInt32(),
            totals.GetProperty("confirmed").GetInt32(), totals.GetProperty("shares").GetInt32()));

        var days = report.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(7, days.Count);
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd"), days[^1].GetProperty("date").GetString());
        Assert.Equal(7, days[^1].GetProperty("pageViews").GetInt32());
        Assert.All(days[..^1], day => Assert.Equal(0, day.GetProperty("pageViews").GetInt32()));

        var sources = report.GetProperty("sources");
        var referrers = Counts(sources.GetProperty("referrers"));
        Assert.Equal((1, 1), referrers["news.ycombinator.com"]);
        Assert.Equal((1, 1), referrers["buttondown.email"]);
        Assert.Equal((1, 1), referrers["t.co"]);
        // Pages opened from the site itself are not a source: visitor A's two further pages count as direct, with C's visits.
        Assert.Equal((2, 4), referrers["(direct)"]);
        Assert.DoesNotContain("4site.pro", referrers.Keys);
        Assert.Equal(new Dictionary<string, (int, int)> { ["hackernews"] = (1, 1), ["twitter"] = (1, 1) }, Counts(sources.GetProperty("channels")));
        Assert.Equal((1, 1), Counts(sources.GetProperty("utmSources"))["newsletter"]);
        Assert.Equal((1, 1), Counts(sources.GetProperty("utmCampaigns"))["launch-week"]);
        Assert.Equal(new Dictionary<string, (int, int)> { ["desktop"] = (3, 6), ["mobile"] = (1, 1) }, Counts(report.GetProperty("devices")));

        var funnel = report.GetProperty("funnel");
        Assert.Equal((4, 2, 1), (funnel.GetProperty("visitors").GetInt32(), funnel.GetProperty("captures").GetInt32(), funnel.GetProperty("confirmed").GetInt32()));
        Assert.Equal(0.5, funnel.GetProperty("captureRate").GetDouble());
        Assert.Equal(0.5, funnel.GetProperty("confirmationRate").GetDouble());

        var shares = report.GetProperty("shares").EnumerateArray()
            .ToDictionary(item => item.GetProperty("channel").GetString()!, item => (item.GetProperty("shares").GetInt32(), item.GetProperty("visits").GetInt32()));
        Assert.Equal(new Dictionary<string, (int, int)> { ["twitter"] = (2, 1), ["linkedin"] = (1, 0), ["hackernews"] = (0, 1) }, shares);

        // The other site saw one visitor; this one's figures are not its.
        var elsewhere = (await ReportAsync(other)).GetProperty("totals");
        Assert.Equal((1, 1, 0), (elsewhere.GetProperty("visitors").GetInt32(), elsewhere.GetProperty("pageViews").GetInt32(), elsewhere.GetProperty("shares").GetInt32()));
    }

    [Fact]
    public async Task A_visitor_is_one_a_day_and_a_new_salt_tomorrow_makes_them_unrecognisable()
    {
        var salt = new byte[32];
        var tomorrow = Enumerable.Repeat((byte)7, 32).ToArray();
        var address = IPAddress.Parse("203.0.113.7");
        var today = PageVisits.VisitorOf(salt, "kite", address, Chrome);
        Assert.Equal(today, PageVisits.VisitorOf(salt, "kite", address, Chrome));
        Assert.NotEqual(today, PageVisits.VisitorOf(salt, "kite", address, IPhone));
        Assert.NotEqual(today, PageVisits.VisitorOf(salt, "kite", IPAddress.Parse("203.0.113.8"), Chrome));
        // The same person on another site, or on the same site tomorrow, cannot be matched.
        Assert.NotEqual(today, PageVisits.VisitorOf(salt, "other", address, Chrome));
        Assert.NotEqual(today, PageVisits.VisitorOf(tomorrow, "kite", address, Chrome));

        // Salts of days before yesterday are deleted by the rollup.
        await using var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        await connection.ExecuteAsync("INSERT INTO visitor_salts (day, salt) VALUES (current_date - 3, '\\x00'::bytea) ON CONFLICT DO NOTHING");
        await _service.Services.GetRequiredService<VisitorSalts>().TodayAsync(CancellationToken.None);
        await RollUpAsync();
        var days = (await connection.QueryAsync<DateOnly>("SELECT day FROM visitor_salts")).ToList();
        Assert.DoesNotContain(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3), days);
        Assert.Contains(DateOnly.FromDateTime(DateTime.UtcNow), days);
    }

    [Fact]
    public async Task No_raw_address_or_user_agent_is_stored_anywhere_in_the_schema()
    {
        var site = await SiteAsync();
        const string Agent = "Mozilla/5.0 (X11; Linux x86_64) UniqueAgentMarker/9.9";
        await SeenAsync($"https://4site.pro/s/{site.Slug}?utm_source=x", "203.0.113.99", Agent, "https://example.org/");
        using (var beacon = await _client.PostAsJsonAsync("/api/analytics/rum", new
        {
            type = "core_web_vitals", data = new { lcp = 900 }, url = $"https://4site.pro/s/{site.Slug}", userAgent = Agent, timestamp = DateTimeOffset.UtcNow,
        }))
        {
            Assert.Equal(HttpStatusCode.Accepted, beacon.StatusCode);
        }

        await RollUpAsync();

        await using var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        var columns = (await connection.QueryAsync<string>("""
            SELECT table_name || '.' || column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND (column_name ~* '(^|_)(ip|ips|address|remote|user_agent|useragent|ua)(_|$)')
            """)).ToList();
        Assert.Empty(columns);

        // Nor inside any stored value: every text and JSON cell of every table, searched for the address and the agent.
        var tables = (await connection.QueryAsync<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")).ToList();
        foreach (var table in tables)
        {
            var found = await connection.ExecuteScalarAsync<bool>(
                $"SELECT EXISTS (SELECT 1 FROM \"{table}\" t WHERE t::text LIKE '%203.0.113.99%' OR t::text LIKE '%UniqueAgentMarker%')");
            Assert.False(found, $"{table} holds the visitor's address or user agent");
        }

        Assert.Equal(2, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM rum_beacons WHERE site_slug = @Slug AND device = 'desktop'", site));
    }

    [Fact]
    public async Task Only_the_owner_reads_a_sites_analytics()
    {
        var site = await SiteAsync();
        using (var anonymous = await ReadAsync(site.Id))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var stranger = await ReadAsync(site.Id, account: Guid.NewGuid()))
        {
            Assert.Equal(HttpStatusCode.Forbidden, stranger.StatusCode);
        }

        using (var wrongToken = await ReadAsync(site.Id, token: "token-of-someone-else"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, wrongToken.StatusCode);
        }

        using (var byToken = await ReadAsync(site.Id, token: site.Token))
        {
            Assert.Equal(HttpStatusCode.OK, byToken.StatusCode);
            Assert.True(byToken.Headers.CacheControl is { Private: true, NoStore: true });
        }

        // Claimed by a new account, the token holder and the old account lose access.
        await PublishAsync(new SiteOwnerChanged(site.Id, Guid.NewGuid(), true, null, DateTimeOffset.UtcNow));
        await Eventually.ReturnsAsync(async () => (await ReadAsync(site.Id, token: site.Token)).StatusCode, status => status == HttpStatusCode.Forbidden);
        using (var oldAccount = await ReadAsync(site.Id, account: site.Account))
        {
            Assert.Equal(HttpStatusCode.Forbidden, oldAccount.StatusCode);
        }

        // Removed, it is gone for everyone, its rollups with it.
        await PublishAsync(new SiteRemoved(site.Id, site.Slug, DateTimeOffset.UtcNow));
        await Eventually.ReturnsAsync(async () => (await ReadAsync(site.Id, token: site.Token)).StatusCode, status => status == HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_periods_and_pages_are_clear_400s_and_the_csv_is_a_day_a_row()
    {
        var site = await SiteAsync();
        await SeenAsync($"https://4site.pro/s/{site.Slug}", "203.0.113.5");
        await RollUpAsync();

        using (var badPeriod = await ReadAsync(site.Id, "?period=1y", site.Account))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badPeriod.StatusCode);
            Assert.Contains("period", await badPeriod.Content.ReadAsStringAsync());
        }

        using (var badId = await ReadAsync(Guid.Empty, "?period=7d", site.Account))
        {
            Assert.Equal(HttpStatusCode.NotFound, badId.StatusCode);
        }

        using (var badPage = await ViewAsync("javascript:alert(1)", "203.0.113.5"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badPage.StatusCode);
            Assert.Equal("application/problem+json", badPage.Content.Headers.ContentType?.MediaType);
        }

        using var csv = await ReadAsync(site.Id, "?period=30d&format=csv", site.Account);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("attachment", csv.Content.Headers.ContentDisposition?.ToString());
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("date,visitors,pageViews,captures,confirmed,shares", lines[0]);
        Assert.Equal(31, lines.Length);
        Assert.Equal($"{DateTime.UtcNow:yyyy-MM-dd},1,1,0,0,0", lines[^1]);
    }

    [Fact]
    public async Task Days_missed_while_the_rollup_was_not_running_are_rebuilt_when_it_runs_again()
    {
        var site = await SiteAsync();
        await using var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        // Page views of three and two days ago, kept raw, while no rollup ran after the first of those days began.
        await connection.ExecuteAsync("""
            INSERT INTO rum_beacons (id, type, url, device, visitor, occurred_at)
            SELECT gen_random_uuid(), 'page_view', 'https://4site.pro/s/' || @Slug, 'desktop', 'visitor-' || (n % 4), current_date - (2 + n % 2) + time '12:00'
            FROM generate_series(1, 10) AS n;
            INSERT INTO site_analytics_rollups (rolled_at) VALUES (current_date - 3 + time '00:05') ON CONFLICT (id) DO UPDATE SET rolled_at = excluded.rolled_at;
            """, site);

        await _service.Services.GetRequiredService<SiteTrafficRollup>().RunOnceAsync(CancellationToken.None);

        var days = (await connection.QueryAsync<(DateOnly Day, int Views, int Visitors)>(
            "SELECT day, views, visitors FROM site_traffic_daily WHERE site_id = @Id ORDER BY day", site)).ToList();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Equal([(today.AddDays(-3), 5, 2), (today.AddDays(-2), 5, 2)], days);
        Assert.True(await connection.ExecuteScalarAsync<DateTime>("SELECT rolled_at FROM site_analytics_rollups") > DateTime.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public void Vitals_over_a_period_weigh_each_day_by_its_samples()
    {
        Assert.Null(SiteAnalyticsReader.WeightedP75([]));
        Assert.Equal(1200, SiteAnalyticsReader.WeightedP75([(1200, 10)]));
        // A busy fast day outweighs a quiet slow one.
        Assert.Equal(900, SiteAnalyticsReader.WeightedP75([(900, 90), (4000, 10)]));
        Assert.Equal(4000, SiteAnalyticsReader.WeightedP75([(900, 10), (4000, 90)]));
        Assert.Equal(1500, SiteAnalyticsReader.WeightedP75([(900, 50), (1500, 30), (4000, 20), (null, 0)]));
    }
}
