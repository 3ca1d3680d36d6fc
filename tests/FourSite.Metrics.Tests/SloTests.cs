using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FourSite.Metrics.Alerts;
using FourSite.Metrics.Slo;
using FourSite.ServiceDefaults.Telemetry;
using FourSite.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;
using Xunit;

namespace FourSite.Metrics.Tests;

/// <summary>
/// Service level objectives judged on constructed request histories: a healthy month spends little budget and raises
/// nothing; a fast burn pages; a slow burn pages through the 6-hour pair only; a steady overspend over 3 days opens a
/// ticket. The gateway's minutes are copied from Redis into the history once settled, 429s outside availability.
/// </summary>
public sealed class SloTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private const string OperatorKey = "operator-key-for-slo-tests-0123456789";
    private ServiceFactory<Program> _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, new Dictionary<string, string?>
        {
            ["FourSite:Operator:ApiKey"] = OperatorKey,
            ["FourSite:Metrics:RollupInterval"] = "01:00:00",
            ["FourSite:Metrics:EvaluationInterval"] = "01:00:00",
            ["FourSite:Metrics:RumFlushInterval"] = "01:00:00",
        });
        _client = await _service.CreateReadyClientAsync();
        _client.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
    }

    /// <summary>A history of its own: the given minutes, each (minutes ago, requests, server errors), all answered within 500 ms.</summary>
    private async Task HistoryAsync(params (double MinutesAgo, long Requests, long Errors)[] minutes)
    {
        await using var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        await connection.ExecuteAsync("DELETE FROM request_minutes");
        foreach (var (minutesAgo, requests, errors) in minutes)
        {
            await connection.ExecuteAsync("""
                INSERT INTO request_minutes (minute, requests, server_errors, throttled, timed, within_500ms, within_2s, within_5s)
                VALUES (date_trunc('minute', now()) - make_interval(mins => @minutes), @requests, @errors, 0, @requests, @requests, @requests, @requests)
                ON CONFLICT (minute) DO UPDATE SET requests = request_minutes.requests + EXCLUDED.requests,
                    server_errors = request_minutes.server_errors + EXCLUDED.server_errors, timed = request_minutes.timed + EXCLUDED.timed,
                    within_500ms = request_minutes.within_500ms + EXCLUDED.within_500ms, within_2s = request_minutes.within_2s + EXCLUDED.within_2s,
                    within_5s = request_minutes.within_5s + EXCLUDED.within_5s
                """, new { minutes = (int)minutesAgo, requests, errors });
        }
    }

    private async Task<IReadOnlyList<string>> FiringAsync()
    {
        var metrics = _service.Services.GetRequiredService<AlertMetrics>();
        var firing = new List<string>();
        foreach (var rule in _service.Services.GetRequiredService<AlertRuleSet>().Rules.Where(rule => rule.Metric.StartsWith("slo_", StringComparison.Ordinal)))
        {
            if (AlertEvaluator.Evaluate(rule, await metrics.ReadAsync(rule.Metric, rule.Window, CancellationToken.None), DateTimeOffset.UtcNow).Firing)
            {
                firing.Add(rule.Name);
            }
        }

        return firing;
    }

    /// <summary>One request in ten thousand fails, spread over a month.</summary>
    private static IEnumerable<(double, long, long)> HealthyMonth() =>
        Enumerable.Range(1, 30 * 24).Select(hour => ((double)hour * 60 - 1, 10_000L, 1L));

    [Fact]
    public async Task A_healthy_month_spends_a_tenth_of_the_budget_and_raises_nothing()
    {
        await HistoryAsync([.. HealthyMonth()]);

        Assert.Empty(await FiringAsync());
        var slos = await _client.GetFromJsonAsync<JsonElement>("/api/slo");
        var availability = slos.EnumerateArray().Single(slo => slo.GetProperty("name").GetString() == "availability");
        Assert.Equal(0.999, availability.GetProperty("objective").GetDouble());
        Assert.Equal("30.00:00:00", availability.GetProperty("window").GetString());
        Assert.Equal(0.9999, availability.GetProperty("attainment").GetDouble(), 5);
        Assert.Equal(0.9, availability.GetProperty("budgetRemaining").GetDouble(), 3);
        Assert.Equal(["1h", "30m", "3d", "5m", "6h"], availability.GetProperty("burnRates").EnumerateObject().Select(rate => rate.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["availability", "latency_p50", "latency_p95", "latency_p99"], slos.EnumerateArray().Select(slo => slo.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));

        using var anonymous = _service.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/slo")).StatusCode);
    }

    [Fact]
    public async Task A_fast_burn_pages()
    {
        // A fifth of the last few minutes' requests fail: 200 times the budget's pace.
        await HistoryAsync([.. HealthyMonth(), (1, 1_000, 200), (2, 1_000, 200), (3, 1_000, 200)]);

        Assert.Contains("slo_fast_burn", await FiringAsync());
    }

    [Fact]
    public async Task A_slow_burn_pages_through_the_six_hour_pair_only()
    {
        // 0.8 % failing for six hours: 8 times the pace, under the fast pair's 14.4.
        await HistoryAsync([.. HealthyMonth(), .. Enumerable.Range(1, 6 * 60).Select(minute => ((double)minute, 1_000L, 8L))]);

        var firing = await FiringAsync();
        Assert.Contains("slo_slow_burn", firing);
        Assert.DoesNotContain("slo_fast_burn", firing);
    }

    [Fact]
    public async Task A_steady_overspend_over_three_days_opens_a_ticket_and_pages_nobody()
    {
        // 0.2 % failing for three days: twice the pace, a ticket's worth.
        await HistoryAsync([.. Enumerable.Range(1, 3 * 24 * 60).Select(minute => ((double)minute, 100L, minute % 5 == 0 ? 1L : 0L))]);

        Assert.Equal(["slo_budget_burn"], await FiringAsync());
    }

    [Fact]
    public async Task The_gateways_settled_minutes_are_copied_into_the_history_with_rate_limited_requests_apart()
    {
        var redis = _service.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var minute = RequestSignals.UnixMinute(DateTimeOffset.UtcNow) - 3;
        var key = RequestSignals.Key(minute);
        await redis.HashIncrementAsync(key, RequestSignals.Field("GET generation-sites", "blue", RequestSignals.Requests), 10);
        await redis.HashIncrementAsync(key, RequestSignals.Field("GET generation-sites", "blue", "5xx"), 1);
        await redis.HashIncrementAsync(key, RequestSignals.Field("POST leads-leads", "green", RequestSignals.Requests), 5);
        await redis.HashIncrementAsync(key, RequestSignals.Field("POST leads-leads", "green", RequestSignals.Throttled), 2);
        await redis.HashIncrementAsync(key, RequestSignals.Field("GET generation-sites", "blue", RequestSignals.Bucket(RequestSignals.BucketOf(300))), 9);
        await redis.HashIncrementAsync(key, RequestSignals.Field("GET generation-sites", "blue", RequestSignals.Bucket(RequestSignals.BucketOf(3_000))), 1);
        await using var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        await connection.ExecuteAsync("DELETE FROM request_minutes");

        await _service.Services.GetRequiredService<RequestHistoryJob>().RunOnceAsync(CancellationToken.None);

        var row = await connection.QuerySingleAsync<(long Requests, long ServerErrors, long Throttled, long Timed, long Within500Ms, long Within2S, long Within5S)>(
            "SELECT requests, server_errors, throttled, timed, within_500ms, within_2s, within_5s FROM request_minutes WHERE minute = @at",
            new { at = DateTimeOffset.FromUnixTimeSeconds(minute * 60) });
        Assert.Equal((15L, 1L, 2L, 10L, 9L, 9L, 10L), row);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM request_minutes WHERE minute > now() - interval '1 minute'"));
        await redis.KeyDeleteAsync(key);
    }

    [Fact]
    public async Task Real_users_vitals_are_read_at_the_75th_percentile_against_their_budgets_and_a_slow_hour_raises_the_lcp_rule()
    {
        await using (var connection = new NpgsqlConnection(_service.DatabaseConnectionString))
        {
            await connection.ExecuteAsync("DELETE FROM rum_beacons");
            // Forty visits this hour: LCP 1..40 × 100 ms (p75 3,025 ms), INP 50 ms, CLS 0.05, load 2 s; and an old slow one that is outside.
            for (var visit = 1; visit <= 40; visit++)
            {
                await connection.ExecuteAsync("""
                    INSERT INTO rum_beacons (id, type, session_id, lcp_ms, inp_ms, cls, data, occurred_at)
                    VALUES (gen_random_uuid(), 'core_web_vitals', @session, @lcp, 50, 0.05, '{"load": 2000}', now() - interval '10 minutes')
                    """, new { session = $"vitals-{visit}", lcp = visit * 100.0 });
            }

            await connection.ExecuteAsync("""
                INSERT INTO rum_beacons (id, type, session_id, lcp_ms, data, occurred_at)
                VALUES (gen_random_uuid(), 'core_web_vitals', 'vitals-old', 60000, '{"load": 60000}', now() - interval '2 days')
                """);
        }

        var report = await _client.GetFromJsonAsync<JsonElement>("/api/dashboard/vitals?window=1h");
        var vitals = report.GetProperty("vitals").EnumerateArray().ToDictionary(vital => vital.GetProperty("name").GetString()!);
        Assert.Equal(3_025, vitals["lcp"].GetProperty("p75").GetDouble(), 6);
        Assert.False(vitals["lcp"].GetProperty("met").GetBoolean());
        Assert.Equal(2_500, vitals["lcp"].GetProperty("budget").GetDouble());
        Assert.Equal(40, vitals["lcp"].GetProperty("samples").GetInt64());
        Assert.True(vitals["inp"].GetProperty("met").GetBoolean());
        Assert.True(vitals["cls"].GetProperty("met").GetBoolean());
        Assert.Equal(2_000, vitals["load"].GetProperty("p75").GetDouble());
        Assert.True(vitals["load"].GetProperty("met").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/dashboard/vitals?window=1y")).StatusCode);

        var rule = _service.Services.GetRequiredService<AlertRuleSet>().Rules.Single(rule => rule.Name == "real_user_lcp");
        var reading = await _service.Services.GetRequiredService<AlertMetrics>().ReadAsync(rule.Metric, rule.Window, CancellationToken.None);
        Assert.True(AlertEvaluator.Evaluate(rule, reading, DateTimeOffset.UtcNow).Firing);
    }
}
