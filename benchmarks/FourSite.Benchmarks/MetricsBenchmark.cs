using System.Diagnostics;
using System.Net.Http.Json;
using Dapper;
using Npgsql;

namespace FourSite.Benchmarks;

/// <summary>
/// RUM ingestion through the gateway at rising fixed rates (the most it takes with p99 within 20 ms), and the realtime
/// dashboard's latency with a launch day of business events stored.
/// </summary>
public static class MetricsBenchmark
{
    public static async Task RunAsync(RunningPlatform platform, int seconds)
    {
        using var gateway = platform.Client("gateway");
        Console.WriteLine("Warming up...");
        await Load.OpenLoop(100, 3, i => BeaconOnce(gateway, i));

        foreach (var rate in new[] { 250, 500, 1000, 1500 })
        {
            var samples = await Load.OpenLoop(rate, seconds, i => BeaconOnce(gateway, i));
            Load.Report($"RUM open loop {rate}/s for {seconds} s through the gateway", samples, seconds);
        }

        var (count, wall, failures) = await Load.ClosedLoop(32, TimeSpan.FromSeconds(seconds), () => BeaconOnce(gateway, Random.Shared.Next()));
        Console.WriteLine($"## RUM most sustained through the gateway: {count / wall.TotalSeconds:F0} beacons/s (32 clients, {wall.TotalSeconds:F0} s, {failures} errors)");

        var events = await SeedDayAsync(await platform.ConnectionStringAsync("metricsdb"));
        gateway.DefaultRequestHeaders.Add("X-Api-Key", RunningPlatform.OperatorKey);
        var dashboard = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await gateway.GetAsync("/api/dashboard/realtime");
            response.EnsureSuccessStatusCode();
            dashboard.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        Console.WriteLine(Percentiles.Line($"## GET /api/dashboard/realtime with {events:N0} events of the last day stored (200 calls, one at a time)", dashboard));
    }

    public static Task<Sample> BeaconOnce(HttpClient client, int i) =>
        Load.Timed(() => client.PostAsJsonAsync("/api/analytics/rum", new
        {
            type = "core_web_vitals",
            data = new { lcp = 400 + (i % 900), cls = 0.002, inp = 30 + (i % 50), fid = 5 },
            sessionId = $"bench-{i % 5000}",
            url = "http://localhost:8080/",
            userAgent = "FourSite benchmark",
            timestamp = DateTimeOffset.UtcNow,
        }));

    /// <summary>A launch day: 20,000 generations (started and completed), 30,000 captures and 10,000 shares over the last 24 hours.</summary>
    private static async Task<long> SeedDayAsync(string connectionString)
    {
        Console.WriteLine("Seeding a day of events...");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync("""
            INSERT INTO analytics_events (id, message_id, event_type, site_id, session_id, properties, occurred_at)
            SELECT gen_random_uuid(), gen_random_uuid(), kind.type, gen_random_uuid(), 'seed-' || (n % 3000),
                   jsonb_build_object('jobId', (n % 20000)::text, 'ownerId', gen_random_uuid(), 'model', 'template', 'fallbackUsed', false,
                       'generationTimeMs', 80 + n % 400, 'leadScore', 40 + n % 60, 'duplicate', n % 10 = 0,
                       'platform', (ARRAY['twitter','reddit','hackernews','linkedin','email'])[1 + n % 5], 'viralScore', (n % 50)::double precision),
                   now() - (random() * interval '24 hours')
            FROM (VALUES ('generation_started', 20000), ('generation_completed', 20000), ('lead_captured', 30000), ('share_tracked', 10000)) AS kind(type, total),
                 generate_series(1, kind.total) AS n
            """, commandTimeout: 300);
        await connection.ExecuteAsync("ANALYZE analytics_events");
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM analytics_events");
    }
}
