extern alias viral;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Dapper;
using FourSite.Contracts.Accounts;
using FourSite.Contracts.Generation;
using FourSite.Contracts.Leads;
using FourSite.Contracts.Viral;
using FourSite.Metrics.Alerts;
using FourSite.Metrics.Dashboard;
using FourSite.Metrics.Rum;
using FourSite.ServiceDefaults.Telemetry;
using FourSite.Testing;
using FourSite.Testing.Fakes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;
using Xunit;
using ViralProgram = viral::Program;

namespace FourSite.Metrics.Tests;

/// <summary>
/// RUM ingestion, event recording, the dashboards, golden signals, alerts and the rollback decision, against real
/// servers, with the real Viral service beside Metrics (for the viral coefficient) and a Slack-style webhook faked.
/// </summary>
public sealed class MetricsApiTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private const string OperatorKey = "operator-key-for-tests-0123456789";
    private readonly AlertWebhookFake _webhook = new();
    private ServiceFactory<ViralProgram> _viral = null!;
    private ServiceFactory<Program> _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _viral = new ServiceFactory<ViralProgram>(servers, "viraldb");
        using (await _viral.CreateReadyClientAsync())
        {
        }

        _service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, new Dictionary<string, string?>
        {
            ["FourSite:Operator:ApiKey"] = OperatorKey,
            ["FourSite:Metrics:AlertWebhookUrl"] = _webhook.Url,
            ["FourSite:Alerts:DeliveryPollInterval"] = "00:00:00.100",
            // The scheduled jobs stay out of the way; tests run them when they need to.
            ["FourSite:Metrics:RollupInterval"] = "01:00:00",
            ["FourSite:Metrics:EvaluationInterval"] = "01:00:00",
            ["FourSite:Metrics:RumFlushInterval"] = "01:00:00",
            // The constructed days lie decades back: the hourly beacon retention must not delete them mid-test.
            ["FourSite:Metrics:RumBeaconRetention"] = "36500.00:00:00",
        })
        {
            TestServices = services => services.AddHttpClient(Dashboard.ViralCoefficientClient.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => _viral.Server.CreateHandler()),
        };
        _client = await _service.CreateReadyClientAsync();
        _client.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
        await _viral.DisposeAsync();
        _webhook.Dispose();
    }

    private async Task<NpgsqlConnection> Database(string? connectionString = null)
    {
        var connection = new NpgsqlConnection(connectionString ?? _service.DatabaseConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>A business event as the consumer stores it, at a time the test chooses.</summary>
    private static Task StoreEventAsync(NpgsqlConnection connection, string type, object properties, DateTime at, Guid? site = null) =>
        connection.ExecuteAsync("INSERT INTO analytics_events (id, message_id, event_type, site_id, properties, occurred_at) VALUES (@id, @id, @type, @site, @properties::jsonb, @at)",
            new { id = Guid.NewGuid(), type, site, properties = JsonSerializer.Serialize(properties), at });

    private static object Vitals(string session = "session-1", double lcp = 820) =>
        new { type = "core_web_vitals", data = new { lcp, cls = 0.004, inp = 40 }, sessionId = session, url = "http://localhost:8080/", userAgent = "test", timestamp = DateTimeOffset.UtcNow };

    [Theory]
    [InlineData("/api/dashboard/realtime")]
    [InlineData("/api/dashboard/daily")]
    [InlineData("/api/dashboard/historical?period=7d")]
    [InlineData("/api/dashboard/golden-signals")]
    [InlineData("/api/alerts")]
    [InlineData("/api/operations/deployment-health")]
    public async Task Operator_calls_need_the_operator_key(string path)
    {
        using var anonymous = _service.CreateClient();
        using var wrongKey = _service.CreateClient();
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", "not-the-key");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await wrongKey.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Beacons_are_accepted_at_once_and_stored_in_batches()
    {
        using var anonymous = _service.CreateClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 120).Select(i => anonymous.PostAsJsonAsync("/api/analytics/rum", Vitals($"batch-{i}"))));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Accepted, response.StatusCode));
        await using var connection = await Database();
        // Accepted means buffered: nothing was inserted on the request path.
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM rum_beacons WHERE session_id LIKE 'batch-%'"));

        var stored = await _service.Services.GetRequiredService<RumWriter>().DrainAsync(CancellationToken.None);

        Assert.True(stored >= 120);
        Assert.Equal(120, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM rum_beacons WHERE session_id LIKE 'batch-%'"));
        Assert.Equal(820, await connection.ExecuteScalarAsync<double>("SELECT lcp_ms FROM rum_beacons WHERE session_id = 'batch-7'"));
    }

    [Theory]
    [InlineData("""{"type":"page_view","data":{"lcp":1}}""", "type")]
    [InlineData("""{"type":"core_web_vitals","data":{"lcp":-5}}""", "data.lcp")]
    [InlineData("""{"type":"core_web_vitals","data":{"cls":500}}""", "data.cls")]
    [InlineData("""{"type":"core_web_vitals","data":{}}""", "data")]
    [InlineData("""{"type":"core_web_vitals"}""", "data")]
    [InlineData("""{"type":"core_web_vitals","data":{"lcp":1},"url":"javascript:alert(1)"}""", "url")]
    [InlineData("""{"type":"core_web_vitals","data":{"lcp":1},"sessionId":"<script>"}""", "sessionId")]
    [InlineData("""{"type":"core_web_vitals","data":{"lcp":1},"timestamp":"1999-01-01T00:00:00Z"}""", "timestamp")]
    [InlineData("""{"type":"ai_generation","data":{"success":true}}""", "data.duration")]
    [InlineData("""{"type":"viral_interaction","data":{"action":"DROP TABLE"}}""", "data.action")]
    [InlineData("""{"type":"core_web_vitals","data":{"lcp":1},"userAgent":"a\u0000b"}""", "userAgent")]
    public async Task Bad_beacons_are_400_naming_the_field(string body, string field)
    {
        using var response = await _client.PostAsync("/api/analytics/rum", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Every_business_event_is_recorded_once()
    {
        var bus = _service.Services.GetRequiredService<IBus>();
        var site = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var share = new ShareTracked(Guid.NewGuid(), site, "reddit", null, 2.5, DateTimeOffset.UtcNow);

        await bus.Publish(share, context => context.MessageId = messageId);
        await bus.Publish(share, context => context.MessageId = messageId);
        await bus.Publish(new SiteFeatured(site, 30, 25, DateTimeOffset.UtcNow));
        await bus.Publish(new SiteUpgraded(Guid.NewGuid(), site, Guid.NewGuid(), "pro", 1900, "usd", null, null, DateTimeOffset.UtcNow));
        await bus.Publish(new LeadErased("person", 1, DateTimeOffset.UtcNow));
        await bus.Publish(new SiteRemoved(site, "kite-1234", DateTimeOffset.UtcNow));
        var account = Guid.NewGuid();
        var signupId = Guid.NewGuid();
        await bus.Publish(new AccountSignedUp(account, DateTimeOffset.UtcNow), context => context.MessageId = signupId);
        await bus.Publish(new AccountSignedUp(account, DateTimeOffset.UtcNow), context => context.MessageId = signupId);

        await using var connection = await Database();
        var types = await Eventually.ReturnsAsync(
            async () => (await connection.QueryAsync<string>("SELECT event_type FROM analytics_events WHERE site_id = @site OR event_type = 'lead_erased' OR properties->>'accountId' = @account",
                new { site, account = account.ToString() })).ToList(),
            rows => rows.Count >= 6);
        Assert.Equal(["account_signed_up", "lead_erased", "share_tracked", "site_featured", "site_removed", "site_upgraded"], types.Order(StringComparer.Ordinal));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM analytics_events WHERE message_id = @messageId", new { messageId }));
    }

    [Fact]
    public async Task Events_arriving_together_are_each_recorded_once_and_their_visitors_counted_active()
    {
        var bus = _service.Services.GetRequiredService<IBus>();
        var site = Guid.NewGuid();
        var captures = Enumerable.Range(0, 60).Select(n => (MessageId: Guid.NewGuid(), Session: $"together-{site:N}-{n}")).ToList();
        var now = DateTimeOffset.UtcNow;
        Task Capture((Guid MessageId, string Session) capture) => bus.Publish(
            new LeadCaptured(Guid.NewGuid(), site, "person", 50, false, false, "app", "desktop", null, null, capture.Session, null, [], now),
            context => context.MessageId = capture.MessageId);

        // Sixty at once, ten of them twice: the redelivered ones may share a batch with their first delivery.
        await Task.WhenAll(captures.Concat(captures.Take(10)).Select(Capture));

        await using var connection = await Database();
        await Eventually.ReturnsAsync(
            async () => (await connection.QueryAsync<string>("SELECT session_id FROM analytics_events WHERE site_id = @site", new { site })).ToList(),
            rows => rows.Count >= captures.Count);
        // The redelivered ten had been published before: give any of them still on its way the time to land, wrongly.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal(captures.Select(capture => capture.Session).Order(StringComparer.Ordinal),
            (await connection.QueryAsync<string>("SELECT session_id FROM analytics_events WHERE site_id = @site", new { site })).Order(StringComparer.Ordinal));
        var redis = _service.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        foreach (var (_, session) in captures)
        {
            Assert.NotNull(await redis.SortedSetScoreAsync(ActiveUsers.Key, session));
        }
    }

    [Fact]
    public async Task The_daily_rollup_of_a_seeded_day_gives_known_numbers()
    {
        var day = new DateTime(2001, 3, 4, 9, 0, 0, DateTimeKind.Utc);
        await using (var connection = await Database())
        {
            var minute = 0;
            Task Event(string type, object properties, Guid? site = null) => StoreEventAsync(connection, type, properties, day.AddMinutes(++minute), site);
            var owner = Guid.NewGuid();
            var (siteA, siteB) = (Guid.NewGuid(), Guid.NewGuid());
            await Event("generation_completed", new { ownerId = owner, generationTimeMs = 100.0, model = "template", fallbackUsed = false });
            await Event("generation_completed", new { ownerId = owner, generationTimeMs = 300.0, model = "template", fallbackUsed = false });
            await Event("generation_completed", new { ownerId = Guid.NewGuid(), generationTimeMs = 200.0, model = "template", fallbackUsed = false });
            await Event("generation_failed", new { code = "repo_not_found" });
            // Signups are first sign-ins, not the owners of the day's sites (two here).
            foreach (var _ in Enumerable.Range(0, 3))
            {
                await Event("account_signed_up", new { accountId = Guid.NewGuid() });
            }

            await Event("lead_captured", new { leadScore = 60, duplicate = false });
            await Event("lead_captured", new { leadScore = 80, duplicate = false });
            await Event("lead_captured", new { leadScore = 10, duplicate = true });
            await Event("share_tracked", new { platform = "reddit", viralScore = 2.5 }, siteA);
            await Event("share_tracked", new { platform = "reddit", viralScore = 5.0 }, siteA);
            await Event("share_tracked", new { platform = "twitter", viralScore = 3.0 }, siteB);
            foreach (var healthy in new[] { true, true, true, false })
            {
                await connection.ExecuteAsync("INSERT INTO health_samples (sampled_at, healthy) VALUES (@at, @healthy)", new { at = day.AddMinutes(100 + ++minute), healthy });
            }
        }

        await using (var viralDatabase = await Database(_viral.DatabaseConnectionString))
        {
            // Two shares by two people and one verified conversion: K = 1 × 0.5.
            var viralSite = Guid.NewGuid();
            await viralDatabase.ExecuteAsync("INSERT INTO shares (id, website_id, platform, share_url, session_id, created_at) VALUES (@a, @site, 'reddit', 'https://x.example', 'p1', @day), (@b, @site, 'reddit', 'https://x.example', 'p2', @day)",
                new { a = Guid.NewGuid(), b = Guid.NewGuid(), site = viralSite, day });
            await viralDatabase.ExecuteAsync("INSERT INTO conversions (lead_id, website_id, person_hash, platform, verified, created_at) VALUES (@id, @site, 'p', 'reddit', true, @day)",
                new { id = Guid.NewGuid(), site = viralSite, day });
        }

        var row = await _client.GetFromJsonAsync<JsonElement>("/api/dashboard/daily?date=2001-03-04");

        Assert.Equal(3, row.GetProperty("signups").GetInt32());
        Assert.Equal(3, row.GetProperty("generations").GetInt32());
        Assert.Equal(2, row.GetProperty("captures").GetInt32());
        Assert.Equal(0.75, row.GetProperty("generationSuccessRate").GetDouble());
        Assert.Equal(70, row.GetProperty("avgLeadScore").GetDouble());
        Assert.Equal(200, row.GetProperty("avgGenerationTimeMs").GetDouble());
        Assert.Equal(4, row.GetProperty("avgViralScore").GetDouble());
        Assert.Equal(0.75, row.GetProperty("uptime").GetDouble());
        Assert.Equal(0.5, row.GetProperty("viralCoefficient").GetDouble());
        var top = row.GetProperty("topPlatforms").EnumerateArray().ToList();
        Assert.Equal(("reddit", 2), (top[0].GetProperty("platform").GetString(), top[0].GetProperty("shares").GetInt32()));

        var series = await _client.GetFromJsonAsync<JsonElement>("/api/dashboard/historical?period=90d&metric=captures");
        Assert.True(series.GetProperty("success").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/dashboard/historical?period=1y")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/dashboard/historical?metric=revenue")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/dashboard/daily?date=2999-01-01")).StatusCode);
    }

    [Fact]
    public async Task Generation_failures_of_every_path_count_against_every_job_that_ended_and_signups_are_new_site_owners()
    {
        var analytics = _service.Services.GetRequiredService<Analytics.AnalyticsStore>();
        // A constructed stretch of time of its own, after anything else the tests record.
        var start = DateTime.UtcNow.AddDays(3);
        await using (var connection = await Database())
        {
            var minute = 0;
            Task Event(string type, object properties) => StoreEventAsync(connection, type, properties, start.AddMinutes(++minute));
            await Event("generation_completed", new { ownerId = Guid.NewGuid(), generationTimeMs = 100.0 });
            await Event("site_regenerated", new { reason = "release" });
            await Event("site_regenerated", new { reason = "owner" });
            // A 202-path job that failed, a release regeneration that failed; a repository that does not exist is the asker's doing.
            await Event("generation_failed", new { code = "github_unavailable" });
            await Event("generation_failed", new { code = "generation_failed" });
            await Event("generation_failed", new { code = "repo_not_found" });
        }

        Assert.Equal((5, 2), await analytics.GenerationOutcomesAsync(new DateTimeOffset(start, TimeSpan.Zero), CancellationToken.None));

        // Signups: owners (an account, else the token holder) whose first site was made that day.
        var day = new DateTime(1999, 1, 2, 0, 0, 0, DateTimeKind.Utc);
        var (returning, account, tokenHolder) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await using (var connection = await Database())
        {
            await StoreEventAsync(connection, "generation_completed", new { accountId = returning, ownerId = Guid.NewGuid() }, day.AddDays(-1));
            await StoreEventAsync(connection, "generation_completed", new { accountId = returning, ownerId = Guid.NewGuid() }, day.AddHours(1));
            await StoreEventAsync(connection, "generation_completed", new { accountId = account, ownerId = Guid.NewGuid() }, day.AddHours(2));
            await StoreEventAsync(connection, "generation_completed", new { accountId = account, ownerId = Guid.NewGuid() }, day.AddHours(3));
            await StoreEventAsync(connection, "generation_completed", new { ownerId = tokenHolder }, day.AddHours(4));
            await StoreEventAsync(connection, "account_signed_up", new { accountId = Guid.NewGuid() }, day.AddHours(5));
        }

        Assert.Equal(2, await analytics.NewSiteOwnersAsync(new DateTimeOffset(day, TimeSpan.Zero), new DateTimeOffset(day.AddDays(1), TimeSpan.Zero), CancellationToken.None));
    }

    [Fact]
    public async Task The_realtime_dashboard_shows_sessions_the_queue_shares_and_health()
    {
        using var anonymous = _service.CreateClient();
        await anonymous.PostAsJsonAsync("/api/analytics/rum", Vitals("realtime-visitor"));
        var bus = _service.Services.GetRequiredService<IBus>();
        var (running, done) = (Guid.NewGuid(), Guid.NewGuid());
        var site = Guid.NewGuid();
        await bus.Publish(new GenerationStarted(running, "octo", "a", DateTimeOffset.UtcNow));
        await bus.Publish(new GenerationStarted(done, "octo", "b", DateTimeOffset.UtcNow));
        await bus.Publish(new SiteGenerated(done, site, "b-1", "B", "octo", "b", "library", "LibraryTemplate", Guid.NewGuid(), "hash", "template", false, 120, DateTimeOffset.UtcNow));
        await bus.Publish(new ShareTracked(Guid.NewGuid(), site, "hackernews", null, 3, DateTimeOffset.UtcNow));
        await bus.Publish(new LeadCaptured(Guid.NewGuid(), site, "hash", 70, false, true, "library", "desktop", null, null, "lead-visitor", null, [], DateTimeOffset.UtcNow));

        var data = await Eventually.ReturnsAsync(
            async () => (await _client.GetFromJsonAsync<JsonElement>("/api/dashboard/realtime")).GetProperty("data"),
            // Each event type has its own queue, so they are recorded in any order: wait for all of them.
            body => body.GetProperty("recentShares").GetArrayLength() > 0 && body.GetProperty("activeUsers").GetInt64() >= 2
                && body.GetProperty("generationQueue").GetProperty("running").GetInt32() >= 1
                && body.GetProperty("generationQueue").GetProperty("completedLastHour").GetInt32() >= 1);

        Assert.True(data.GetProperty("activeUsers").GetInt64() >= 2);
        var queue = data.GetProperty("generationQueue");
        Assert.True(queue.GetProperty("running").GetInt32() >= 1);
        Assert.True(queue.GetProperty("completedLastHour").GetInt32() >= 1);
        Assert.True(queue.GetProperty("queueDepth").ValueKind is JsonValueKind.Number or JsonValueKind.Null);
        Assert.Contains(data.GetProperty("recentShares").EnumerateArray(), share => share.GetProperty("websiteId").GetGuid() == site);
        var health = data.GetProperty("systemHealth");
        Assert.Equal("healthy", health.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("healthy", health.GetProperty("cache").GetProperty("status").GetString());
        Assert.Equal("healthy", health.GetProperty("broker").GetProperty("status").GetString());
        // The other services do not run in this test, and the dashboard says so.
        Assert.Equal("unhealthy", health.GetProperty("services").GetProperty("generation").GetProperty("status").GetString());
        Assert.True(data.GetProperty("hourlyKPIs").GetArrayLength() >= 1);
    }

    /// <summary>Counts as the gateway writes them, for one endpoint and slot in the current minute.</summary>
    private async Task GatewayCounted(string endpoint, string slot, int requests, int serverErrors, int unavailable, double milliseconds)
    {
        var redis = _service.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var key = RequestSignals.Key(RequestSignals.UnixMinute(DateTimeOffset.UtcNow));
        await redis.HashIncrementAsync(key, RequestSignals.Field(endpoint, slot, RequestSignals.Requests), requests);
        await redis.HashIncrementAsync(key, RequestSignals.Field(endpoint, slot, "2xx"), requests - serverErrors);
        await redis.HashIncrementAsync(key, RequestSignals.Field(endpoint, slot, "5xx"), serverErrors);
        await redis.HashIncrementAsync(key, RequestSignals.Field(endpoint, slot, RequestSignals.Unavailable), unavailable);
        await redis.HashIncrementAsync(key, RequestSignals.Field(endpoint, slot, RequestSignals.Bucket(RequestSignals.BucketOf(milliseconds))), requests);
    }

    [Fact]
    public async Task Golden_signals_and_the_rollback_decision_read_the_gateways_counts()
    {
        await GatewayCounted("POST viral-share", "blue", 400, 0, 0, 12);
        await GatewayCounted("POST viral-share", "green", 100, 30, 10, 7_000);

        var golden = (await _client.GetFromJsonAsync<JsonElement>("/api/dashboard/golden-signals")).GetProperty("data");
        var deployment = (await _client.GetFromJsonAsync<JsonElement>("/api/operations/deployment-health")).GetProperty("data");

        var endpoint = golden.GetProperty("endpoints").EnumerateArray().Single(row => row.GetProperty("endpoint").GetString() == "POST viral-share");
        Assert.True(endpoint.GetProperty("requests").GetInt64() >= 500);
        var signals = endpoint.GetProperty("signals").EnumerateArray().ToDictionary(signal => signal.GetProperty("name").GetString()!);
        Assert.Equal("critical", signals["errors.rate"].GetProperty("violation").GetProperty("severity").GetString());
        Assert.True(signals["latency.p99"].GetProperty("value").GetDouble() >= 7_000);
        Assert.Contains(golden.GetProperty("signals").EnumerateArray(), signal => signal.GetProperty("name").GetString() == "saturation.db_connections");
        var disk = golden.GetProperty("signals").EnumerateArray().Single(signal => signal.GetProperty("name").GetString() == "saturation.disk");
        Assert.InRange(disk.GetProperty("value").GetDouble(), 0.0001, 1);
        Assert.NotEmpty(golden.GetProperty("violations").EnumerateArray());
        var slots = deployment.GetProperty("slots").EnumerateArray().ToDictionary(slot => slot.GetProperty("health").GetProperty("slot").GetString()!);
        Assert.Equal("rollback", slots["green"].GetProperty("decision").GetString());
        Assert.Equal("healthy", slots["blue"].GetProperty("decision").GetString());
        Assert.Equal("rollback", deployment.GetProperty("decision").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/operations/deployment-health?slot=%3Cb%3E")).StatusCode);
    }

    [Fact]
    public async Task Viral_score_calculation_times_reported_by_any_replica_average_into_the_rules_metric()
    {
        // Two replicas of Viral (two writers of their own) report their calculation times in the same minute.
        var redis = _service.Services.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>();
        var replicas = new[] { new TimingSignals(redis, TimeProvider.System), new TimingSignals(redis, TimeProvider.System) };
        for (var i = 0; i < 10; i++)
        {
            replicas[i % 2].Record(TimingSignals.ViralScoreCalculation, i % 2 == 0 ? 900 : 1_700);
        }

        var metrics = _service.Services.GetRequiredService<AlertMetrics>();
        var reading = await Eventually.ReturnsAsync(() => metrics.ReadAsync(AlertMetrics.ViralScoreCalculationMs, TimeSpan.FromMinutes(10), CancellationToken.None),
            read => read.Samples >= 10);

        Assert.Equal(10, reading.Samples);
        Assert.Equal(1_300, reading.Value!.Value, precision: 6);
        Assert.True(AlertEvaluator.Evaluate(_service.Services.GetRequiredService<AlertRuleSet>().Rules.Single(rule => rule.Name == "viral_score_calculation"), reading, DateTimeOffset.UtcNow).Firing);
    }

    [Fact]
    public async Task The_generate_p95_rule_reads_the_95th_percentile_of_its_window()
    {
        await using (var connection = await Database())
        {
            // 100 generations in the window, 10 ms to 1,000 ms; a slow one before it must not count.
            foreach (var (milliseconds, minutesAgo) in Enumerable.Range(1, 100).Select(i => (i * 10.0, 5)).Append((999_999.0, 45)))
            {
                await StoreEventAsync(connection, "generation_completed", new { generationTimeMs = milliseconds }, DateTime.UtcNow.AddMinutes(-minutesAgo));
            }
        }

        var metrics = _service.Services.GetRequiredService<AlertMetrics>();
        var reading = await metrics.ReadAsync(AlertMetrics.GenerateP95Ms, TimeSpan.FromMinutes(30), CancellationToken.None);
        var empty = await metrics.ReadAsync(AlertMetrics.GenerateP95Ms, TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(new MetricReading(950, 100), reading);
        Assert.Equal(new MetricReading(null, 0), empty);
    }

    /// <summary>The posts about <paramref name="rule"/> once there are at least <paramref name="count"/> (deliveries are queued, then sent).</summary>
    private Task<IReadOnlyList<string>> PostsAsync(string rule, int count) =>
        Eventually.ReturnsAsync(() => Task.FromResult(_webhook.PostsAbout(rule)), posts => posts.Count >= count);

    [Fact]
    public async Task A_round_that_cannot_reach_the_database_tells_the_outage_once_and_its_end_once()
    {
        // Two replicas of Metrics sharing Redis, apart from the service's own scheduled monitor.
        var services = _service.Services;
        var monitor = ActivatorUtilities.CreateInstance<AlertMonitor>(services, ActivatorUtilities.CreateInstance<DatabaseOutageAlert>(services));
        var otherReplica = ActivatorUtilities.CreateInstance<DatabaseOutageAlert>(services);
        var unreachable = new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));

        await monitor.AfterAttemptAsync(unreachable, CancellationToken.None);
        await monitor.AfterAttemptAsync(unreachable, CancellationToken.None);
        await otherReplica.ReportDownAsync(unreachable.Message, CancellationToken.None);

        var raised = Assert.Single(await PostsAsync("database_errors", 1));
        Assert.Contains("database_errors raised: PostgreSQL cannot be reached", raised);

        // A round that fails for another reason reached the database: the replica that told the outage tells its end, once.
        await monitor.AfterAttemptAsync(new InvalidOperationException("a peer service failed"), CancellationToken.None);
        await otherReplica.ReportUpAsync(CancellationToken.None);
        await monitor.AfterAttemptAsync(null, CancellationToken.None);

        var posts = await PostsAsync("database_errors", 2);
        Assert.Equal(2, posts.Count);
        Assert.Contains("database_errors resolved: PostgreSQL could not be reached from", posts[1]);
        var history = await _client.GetFromJsonAsync<JsonElement>("/api/alerts?state=all");
        var outage = Assert.Single(history.GetProperty("data").EnumerateArray(), row => row.GetProperty("rule").GetString() == "database_errors");
        Assert.Equal("resolved", outage.GetProperty("state").GetString());
        Assert.Contains("could not be reached", outage.GetProperty("message").GetString());

        // The claim went with the end: the next outage is told again, by whichever replica fails first.
        await otherReplica.ReportDownAsync(unreachable.Message, CancellationToken.None);
        await monitor.AfterAttemptAsync(unreachable, CancellationToken.None);
        await otherReplica.ReportUpAsync(CancellationToken.None);
        await monitor.AfterAttemptAsync(null, CancellationToken.None);
        Assert.Equal(4, (await PostsAsync("database_errors", 4)).Count);
    }

    [Fact]
    public async Task An_alert_is_raised_once_notified_and_resolved_when_it_clears()
    {
        var monitor = _service.Services.GetRequiredService<AlertMonitor>();
        await using var connection = await Database();
        await connection.ExecuteAsync("""INSERT INTO health_samples (sampled_at, healthy, components) VALUES (now() - interval '1 minute', false, '{"database":{"status":"unhealthy"}}')""");

        await monitor.RunOnceAsync(CancellationToken.None);
        await monitor.RunOnceAsync(CancellationToken.None);

        var open = await _client.GetFromJsonAsync<JsonElement>("/api/alerts");
        var alert = Assert.Single(open.GetProperty("data").EnumerateArray(), row => row.GetProperty("rule").GetString() == "database_errors");
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        Assert.Equal("open", alert.GetProperty("state").GetString());
        var posted = await PostsAsync("database_errors", 1);
        Assert.Single(posted);
        Assert.Contains("\"text\"", posted[0]);

        await connection.ExecuteAsync("DELETE FROM health_samples WHERE NOT healthy AND components->'database'->>'status' = 'unhealthy'");
        await monitor.RunOnceAsync(CancellationToken.None);

        var all = await _client.GetFromJsonAsync<JsonElement>("/api/alerts?state=all");
        var resolved = all.GetProperty("data").EnumerateArray().First(row => row.GetProperty("rule").GetString() == "database_errors");
        Assert.Equal("resolved", resolved.GetProperty("state").GetString());
        Assert.Equal(2, (await PostsAsync("database_errors", 2)).Count);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/alerts?state=maybe")).StatusCode);
    }

    [Fact]
    public async Task The_launch_kpis_of_a_constructed_day_are_measured_against_their_targets()
    {
        var day = new DateTime(2001, 5, 6, 9, 0, 0, DateTimeKind.Utc);
        await using (var connection = await Database())
        {
            var minute = 0;
            Task Event(string type, object properties, Guid? site = null, string? session = null) =>
                connection.ExecuteAsync("INSERT INTO analytics_events (id, message_id, event_type, site_id, session_id, properties, occurred_at) VALUES (@id, @id, @type, @site, @session, @properties::jsonb, @at)",
                    new { id = Guid.NewGuid(), type, site, session, properties = JsonSerializer.Serialize(properties), at = day.AddMinutes(++minute) });
            Task Beacon(string session, string url) =>
                connection.ExecuteAsync("INSERT INTO rum_beacons (id, type, session_id, url, occurred_at) VALUES (@id, 'core_web_vitals', @session, @url, @at)",
                    new { id = Guid.NewGuid(), session, url, at = day.AddMinutes(++minute) });

            // Four visitors of the landing page and generated sites, one more only on the dashboard.
            await Beacon("kpi-s1", "http://localhost:8080/");
            await Beacon("kpi-s1", "http://localhost:8080/s/kite-1a2b3c4d");
            await Beacon("kpi-s2", "http://localhost:8080/s/kite-1a2b3c4d?via=reddit");
            await Beacon("kpi-s3", "https://4site.pro/");
            await Beacon("kpi-s4", "https://4site.pro/s/other-site");
            await Beacon("kpi-s5", "https://4site.pro/dashboard");
            // One visitor left a lead; a repeat and a lead from no visitor seen that day do not count.
            await Event("lead_captured", new { leadScore = 60, duplicate = false }, session: "kpi-s1");
            await Event("lead_captured", new { leadScore = 80, duplicate = false }, session: "kpi-s9");
            await Event("lead_captured", new { leadScore = 10, duplicate = true }, session: "kpi-s2");

            // Owners: an account (with a Pro site), a token holder, and an account whose only site was removed.
            var (accountA, accountB) = (Guid.NewGuid(), Guid.NewGuid());
            var (proSite, freeSite, removedSite) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
            await Event("account_signed_up", new { accountId = accountA });
            await Event("generation_completed", new { ownerId = Guid.NewGuid(), accountId = accountA, generationTimeMs = 100.0 }, proSite);
            await Event("generation_completed", new { ownerId = Guid.NewGuid(), accountId = (Guid?)null, generationTimeMs = 100.0 }, freeSite);
            await Event("generation_completed", new { ownerId = Guid.NewGuid(), accountId = accountB, generationTimeMs = 100.0 }, removedSite);
            await Event("site_removed", new { }, removedSite);
            await connection.ExecuteAsync("INSERT INTO site_pro (site_id, pro_until, pro_since, changed_at) VALUES (@proSite, @until, @since, @since)",
                new { proSite, until = day.AddDays(30), since = day.AddHours(-1) });
        }

        var row = await _client.GetFromJsonAsync<JsonElement>("/api/dashboard/daily?date=2001-05-06");

        Assert.Equal(4, row.GetProperty("visitors").GetInt32());
        Assert.Equal(1, row.GetProperty("leadVisitors").GetInt32());
        Assert.Equal(0.25, row.GetProperty("conversionRate").GetDouble());
        // Five visitor sessions and two signed-in accounts active that day.
        Assert.Equal(7, row.GetProperty("dailyActiveUsers").GetInt32());
        Assert.Equal(2, row.GetProperty("siteOwners").GetInt32());
        Assert.Equal(1, row.GetProperty("proOwners").GetInt32());
        Assert.Equal(0.5, row.GetProperty("premiumConversion").GetDouble());
        var kpis = row.GetProperty("kpis").EnumerateArray().ToDictionary(kpi => kpi.GetProperty("name").GetString()!);
        Assert.Equal(["conversionRate", "dailyActiveUsers", "leadQuality", "premiumConversion", "viralCoefficient"], kpis.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((0.15, true), (kpis["conversionRate"].GetProperty("target").GetDouble(), kpis["conversionRate"].GetProperty("met").GetBoolean()));
        Assert.Equal((70.0, 60.0, true), (kpis["leadQuality"].GetProperty("value").GetDouble(), kpis["leadQuality"].GetProperty("target").GetDouble(), kpis["leadQuality"].GetProperty("met").GetBoolean()));
        Assert.Equal((1000.0, false), (kpis["dailyActiveUsers"].GetProperty("target").GetDouble(), kpis["dailyActiveUsers"].GetProperty("met").GetBoolean()));
        Assert.Equal((0.05, true), (kpis["premiumConversion"].GetProperty("target").GetDouble(), kpis["premiumConversion"].GetProperty("met").GetBoolean()));
        Assert.Equal(1.5, kpis["viralCoefficient"].GetProperty("target").GetDouble());

        var series = await _client.GetFromJsonAsync<JsonElement>("/api/dashboard/historical?period=90d&metric=premiumConversion");
        Assert.True(series.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Conversion_short_of_its_target_for_3_days_raises_an_alert_that_clears_with_a_good_day()
    {
        var monitor = _service.Services.GetRequiredService<AlertMonitor>();
        var rollup = _service.Services.GetRequiredService<DailyRollup>();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await using var connection = await Database();
        // Each of the last 3 days: 10 visitors of generated sites, 1 of whom left a lead (10 %, short of 15 %).
        async Task SeedDayAsync(DateOnly date, int leads)
        {
            var at = date.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc);
            for (var visitor = 0; visitor < 10; visitor++)
            {
                var session = $"short-{date:yyyyMMdd}-{visitor}";
                await connection.ExecuteAsync("INSERT INTO rum_beacons (id, type, session_id, url, occurred_at) VALUES (@id, 'core_web_vitals', @session, 'https://4site.pro/s/kite-short', @at)",
                    new { id = Guid.NewGuid(), session, at });
                if (visitor < leads)
                {
                    await connection.ExecuteAsync("INSERT INTO analytics_events (id, message_id, event_type, session_id, properties, occurred_at) VALUES (@id, @id, 'lead_captured', @session, '{\"leadScore\": 70, \"duplicate\": false}'::jsonb, @at)",
                        new { id = Guid.NewGuid(), session, at });
                }
            }

            await rollup.RollUpAsync(date, CancellationToken.None);
        }

        foreach (var daysAgo in new[] { 1, 2, 3 })
        {
            await SeedDayAsync(today.AddDays(-daysAgo), leads: 1);
        }

        await monitor.RunOnceAsync(CancellationToken.None);
        var open = await _client.GetFromJsonAsync<JsonElement>("/api/alerts");
        var alert = Assert.Single(open.GetProperty("data").EnumerateArray(), row => row.GetProperty("rule").GetString() == "conversion_below_target");
        Assert.Equal(0.1, alert.GetProperty("value").GetDouble());
        Assert.Single(await PostsAsync("conversion_below_target", 1));

        // One of the three days reaches the target: the shortfall is no longer 3 days long.
        await SeedDayAsync(today.AddDays(-2), leads: 2);
        await monitor.RunOnceAsync(CancellationToken.None);
        var all = await _client.GetFromJsonAsync<JsonElement>("/api/alerts?state=all");
        Assert.Equal("resolved", all.GetProperty("data").EnumerateArray().First(row => row.GetProperty("rule").GetString() == "conversion_below_target").GetProperty("state").GetString());
    }
}
