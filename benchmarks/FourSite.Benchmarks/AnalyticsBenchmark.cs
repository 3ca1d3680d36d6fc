using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace FourSite.Benchmarks;

/// <summary>
/// An owner's analytics with a year of a busy site stored: 1,000,000 page views (about 2,700 a day from 40 sources, two
/// devices, five share channels), 60,000 vitals beacons, 20,000 captures and 5,000 shares. The Metrics service rolls the
/// year up itself (its rollup starts from its last round, set a year back), then <c>GET /api/sites/{id}/analytics</c>
/// for 7, 30 and 90 days is timed through the gateway, one call at a time. The platform runs with raw beacons kept for
/// 400 days and the rollup every 5 s.
/// </summary>
public static class AnalyticsBenchmark
{
    public static readonly string[] Settings = ["FourSite:Metrics:RumBeaconRetention=400.00:00:00", "FourSite:Metrics:SiteAnalyticsInterval=00:00:05"];

    public static async Task RunAsync(RunningPlatform platform, int pageViews)
    {
        using var gateway = platform.Client("gateway");
        using var generated = await gateway.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/bench/analytics" });
        var site = await generated.Content.ReadFromJsonAsync<JsonElement>();
        var siteId = site.GetProperty("siteId").GetGuid();
        var slug = site.GetProperty("slug").GetString()!;
        gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", site.GetProperty("ownerToken").GetString());

        await using var connection = new NpgsqlConnection(await platform.ConnectionStringAsync("metricsdb"));
        await connection.OpenAsync();
        while (!await connection.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM analytics_sites WHERE site_id = @siteId)", new { siteId }))
        {
            await Task.Delay(200);
        }

        Console.WriteLine($"Seeding {pageViews:N0} page views over a year...");
        await connection.ExecuteAsync("""
            INSERT INTO rum_beacons (id, type, url, device, visitor, referrer_host, channel, utm_source, utm_campaign, occurred_at)
            SELECT gen_random_uuid(), 'page_view', 'https://4site.pro/s/' || @slug,
                   CASE WHEN n % 3 = 0 THEN 'mobile' ELSE 'desktop' END,
                   md5((n % 1500)::text || (n * 365 / @pageViews)::text),
                   CASE WHEN n % 5 = 0 THEN NULL ELSE 'source-' || (n % 40) || '.example' END,
                   (ARRAY['twitter','reddit','hackernews','linkedin','email', NULL, NULL, NULL])[1 + n % 8],
                   CASE WHEN n % 7 = 0 THEN 'newsletter-' || (n % 3) END,
                   CASE WHEN n % 11 = 0 THEN 'campaign-' || (n % 6) END,
                   now() - ((n * 365.0 / @pageViews) * interval '1 day')
            FROM generate_series(1, @pageViews) AS n;
            INSERT INTO rum_beacons (id, type, url, lcp_ms, inp_ms, cls, occurred_at)
            SELECT gen_random_uuid(), 'core_web_vitals', 'https://4site.pro/s/' || @slug, 600 + n % 2000, 40 + n % 300, (n % 20) / 100.0,
                   now() - ((n * 365.0 / 60000) * interval '1 day')
            FROM generate_series(1, 60000) AS n;
            INSERT INTO analytics_events (id, message_id, event_type, site_id, properties, occurred_at)
            SELECT gen_random_uuid(), gen_random_uuid(), kind.type, @siteId,
                   jsonb_build_object('duplicate', n % 10 = 0, 'platform', (ARRAY['twitter','reddit','hackernews','linkedin','email'])[1 + n % 5]),
                   now() - ((n * 365.0 / kind.total) * interval '1 day')
            FROM (VALUES ('lead_captured', 20000), ('subscription_confirmed', 8000), ('share_tracked', 5000)) AS kind(type, total),
                 generate_series(1, kind.total) AS n;
            ANALYZE rum_beacons;
            ANALYZE analytics_events;
            """, new { slug, siteId, pageViews }, commandTimeout: 900);

        // The next round of the service's rollup starts a year back, as if it had not run for a year.
        var started = Stopwatch.GetTimestamp();
        var yearAgo = DateTime.UtcNow.AddDays(-366);
        await connection.ExecuteAsync("INSERT INTO site_analytics_rollups (rolled_at) VALUES (@yearAgo) ON CONFLICT (id) DO UPDATE SET rolled_at = excluded.rolled_at",
            new { yearAgo });
        while (await connection.ExecuteScalarAsync<DateTime>("SELECT rolled_at FROM site_analytics_rollups") < DateTime.UtcNow.AddDays(-1))
        {
            await Task.Delay(500);
        }

        Console.WriteLine($"## the year rolled up by the service in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s (from the seed's end, the next 5 s round included); " +
            $"{await connection.ExecuteScalarAsync<long>("SELECT (SELECT count(*) FROM site_traffic_daily) + (SELECT count(*) FROM site_breakdowns_daily) + (SELECT count(*) FROM site_shares_daily) + (SELECT count(*) FROM site_vitals_daily)"):N0} rollup rows");
        var totals = await (await gateway.GetAsync($"/api/sites/{siteId}/analytics?period=90d")).Content.ReadFromJsonAsync<JsonElement>();
        Console.WriteLine($"90 days: {totals.GetProperty("totals")}");
        foreach (var period in new[] { "7d", "30d", "90d" })
        {
            await TimeAsync(() => gateway.GetAsync($"/api/sites/{siteId}/analytics?period={period}"), 20);
            var times = await TimeAsync(() => gateway.GetAsync($"/api/sites/{siteId}/analytics?period={period}"), 300);
            Console.WriteLine(Percentiles.Line($"## GET /api/sites/{{id}}/analytics?period={period} through the gateway (300 calls, one at a time)", times));
        }
    }

    private static async Task<List<double>> TimeAsync(Func<Task> call, int count)
    {
        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return times;
    }

    private static Task<List<double>> TimeAsync(Func<Task<HttpResponseMessage>> call, int count) => TimeAsync(async () =>
    {
        using var response = await call();
        response.EnsureSuccessStatusCode();
    }, count);
}
