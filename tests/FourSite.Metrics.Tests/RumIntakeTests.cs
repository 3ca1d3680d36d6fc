using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FourSite.Metrics.Rum;
using FourSite.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;
using Xunit;

namespace FourSite.Metrics.Tests;

/// <summary>
/// RUM intake as the seed's <c>RUMTracker</c> sends it, and at-least-once storage: a beacon accepted is stored once,
/// whether its batch was read and never acknowledged, left by a replica that went away, or buffered twice.
/// </summary>
public sealed class RumIntakeTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private ServiceFactory<Program> _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, new Dictionary<string, string?>
        {
            ["FourSite:Operator:ApiKey"] = "operator-key-for-rum-tests-0123456789",
            // Tests drain when they need to; beacons another writer left are claimed after a short silence.
            ["FourSite:Metrics:RollupInterval"] = "01:00:00",
            ["FourSite:Metrics:EvaluationInterval"] = "01:00:00",
            ["FourSite:Metrics:RumFlushInterval"] = "01:00:00",
            ["FourSite:Metrics:RumClaimAfter"] = "00:00:00.500",
        });
        _client = await _service.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
    }

    private RumWriter Writer => _service.Services.GetRequiredService<RumWriter>();

    private IDatabase Redis => _service.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

    private async Task<NpgsqlConnection> DatabaseAsync()
    {
        var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Exactly the body the seed's <c>RUMTracker.sendMetric</c> posts: one metric, the time in epoch milliseconds.</summary>
    private static object SeedBeacon(string type, object data, string sessionId) => new
    {
        type,
        data,
        sessionId,
        url = "http://localhost:8080/",
        userAgent = "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/156.0",
        timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
    };

    private async Task AcceptAsync(object beacon)
    {
        using var response = await _client.PostAsJsonAsync("/api/analytics/rum", beacon);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private async Task<int> StoredAsync(string sessionPrefix)
    {
        await using var connection = await DatabaseAsync();
        return await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM rum_beacons WHERE session_id LIKE @prefix", new { prefix = sessionPrefix + "%" });
    }

    [Fact]
    public async Task The_seed_trackers_beacons_are_accepted_stored_and_measured()
    {
        var sent = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await AcceptAsync(SeedBeacon("core_web_vitals", new { metric = "lcp", value = 812 }, "rum_seedlcp1"));
        await AcceptAsync(SeedBeacon("core_web_vitals", new { metric = "fid", value = 3.5 }, "rum_seedfid1"));
        await AcceptAsync(SeedBeacon("core_web_vitals", new { metric = "ttfb", value = 41 }, "rum_seedttf1"));
        await AcceptAsync(SeedBeacon("core_web_vitals", new { lcp = 900, load = 1_750 }, "rum_pageload1"));
        await AcceptAsync(SeedBeacon("ai_generation", new { duration = 2400, success = true, model = "gemini-pro", repoComplexity = 7 }, "rum_seedgen1"));
        await AcceptAsync(SeedBeacon("ai_generation", new { duration = 900, success = false, model = "gemini-pro" }, "rum_seedgen2"));
        await AcceptAsync(SeedBeacon("viral_interaction", new { action = "share-twitter", timestamp = sent, sessionTime = 15_000 }, "rum_seedvir1"));

        await Writer.DrainAsync(CancellationToken.None);

        await using var connection = await DatabaseAsync();
        Assert.Equal(812, await connection.ExecuteScalarAsync<double>("SELECT lcp_ms FROM rum_beacons WHERE session_id = 'rum_seedlcp1'"));
        Assert.Equal(3.5, await connection.ExecuteScalarAsync<double>("SELECT fid_ms FROM rum_beacons WHERE session_id = 'rum_seedfid1'"));
        Assert.Equal(41, await connection.ExecuteScalarAsync<double>("SELECT (data->>'ttfb')::float8 FROM rum_beacons WHERE session_id = 'rum_seedttf1'"));
        Assert.Equal(1_750, await connection.ExecuteScalarAsync<double>("SELECT (data->>'load')::float8 FROM rum_beacons WHERE session_id = 'rum_pageload1'"));
        Assert.Equal(7, await connection.ExecuteScalarAsync<int>("SELECT (data->>'repoComplexity')::int FROM rum_beacons WHERE session_id = 'rum_seedgen1'"));
        Assert.Equal(15_000, await connection.ExecuteScalarAsync<double>("SELECT (data->>'sessionTime')::float8 FROM rum_beacons WHERE session_id = 'rum_seedvir1'"));
        Assert.Equal("share-twitter", await connection.ExecuteScalarAsync<string>("SELECT data->>'action' FROM rum_beacons WHERE session_id = 'rum_seedvir1'"));
        // The epoch-millisecond timestamp is the time the beacon describes.
        var occurredAt = await connection.ExecuteScalarAsync<DateTime>("SELECT occurred_at FROM rum_beacons WHERE session_id = 'rum_seedlcp1'");
        Assert.InRange(new DateTimeOffset(occurredAt, TimeSpan.Zero).ToUnixTimeMilliseconds() - sent, -5_000, 5_000);
    }

    [Theory]
    [InlineData("""{"type":"core_web_vitals","data":{"metric":"speed","value":1}}""", "data.metric")]
    [InlineData("""{"type":"core_web_vitals","data":{"metric":"lcp"}}""", "data.value")]
    [InlineData("""{"type":"core_web_vitals","data":{"metric":"lcp","value":-1}}""", "data.lcp")]
    [InlineData("""{"type":"core_web_vitals","data":{"metric":"cls","value":250}}""", "data.cls")]
    [InlineData("""{"type":"core_web_vitals","data":{"metric":"ttfb","value":9000000}}""", "data.ttfb")]
    [InlineData("""{"type":"core_web_vitals","data":{"load":-5}}""", "data.load")]
    [InlineData("""{"type":"core_web_vitals","data":{"lcp":1},"timestamp":946684800000}""", "timestamp")]
    [InlineData("""{"type":"ai_generation","data":{"duration":10,"repoComplexity":{"files":3}}}""", "data.repoComplexity")]
    [InlineData("""{"type":"viral_interaction","data":{"action":"share","sessionTime":-4}}""", "data.sessionTime")]
    public async Task Implausible_seed_beacons_are_400_naming_the_field(string body, string field)
    {
        using var response = await _client.PostAsync("/api/analytics/rum", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("""{"type":"core_web_vitals","data":{"lcp":1},"timestamp":"soon"}""")]
    [InlineData("""{"type":"core_web_vitals","data":{"lcp":1},"timestamp":-1}""")]
    [InlineData("""{"type":"core_web_vitals","data":{"lcp":1},"timestamp":true}""")]
    public async Task An_unreadable_timestamp_is_a_400_problem(string body)
    {
        using var response = await _client.PostAsync("/api/analytics/rum", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_batch_read_but_never_acknowledged_is_stored_by_the_next_round()
    {
        for (var i = 0; i < 12; i++)
        {
            await AcceptAsync(SeedBeacon("core_web_vitals", new { metric = "lcp", value = 500 + i }, $"rum_unacked{i}"));
        }

        // A round whose read reached Redis but whose answer never came back (Redis paused, the client gave up).
        var lost = await _service.Services.GetRequiredService<RumBuffer>().ReadAsync(100, TimeSpan.FromHours(1));
        Assert.Contains(lost, entry => entry.Beacon?.SessionId == "rum_unacked0");

        await Writer.DrainAsync(CancellationToken.None);

        Assert.Equal(12, await StoredAsync("rum_unacked"));
    }

    [Fact]
    public async Task Beacons_a_stopped_replica_had_read_are_claimed_by_another()
    {
        // The writers' group exists once any writer has run.
        await Writer.DrainAsync(CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            await AcceptAsync(SeedBeacon("core_web_vitals", new { metric = "inp", value = 80 }, $"rum_orphan{i}"));
        }

        // Another replica reads them and dies before storing them.
        var taken = await Redis.StreamReadGroupAsync(RumBuffer.Key, RumBuffer.Group, "replica-that-died", StreamPosition.NewMessages, 100);
        Assert.NotEmpty(taken);
        Assert.Equal(0, await StoredAsync("rum_orphan"));

        await Task.Delay(TimeSpan.FromSeconds(1));
        await Writer.DrainAsync(CancellationToken.None);

        Assert.Equal(5, await StoredAsync("rum_orphan"));
        var pending = await Redis.StreamPendingAsync(RumBuffer.Key, RumBuffer.Group);
        Assert.Equal(0, pending.PendingMessageCount);
    }

    [Fact]
    public async Task A_beacon_buffered_twice_is_stored_once()
    {
        await AcceptAsync(SeedBeacon("core_web_vitals", new { metric = "lcp", value = 640 }, "rum_twice1"));
        var copy = (await Redis.StreamRangeAsync(RumBuffer.Key, "-", "+")).Single(entry => ((string)entry["beacon"]!).Contains("rum_twice1", StringComparison.Ordinal));

        await Writer.DrainAsync(CancellationToken.None);
        // The same entry again, as a write retried after its answer was lost would leave it.
        await Redis.StreamAddAsync(RumBuffer.Key, "beacon", copy["beacon"]);
        await Writer.DrainAsync(CancellationToken.None);

        Assert.Equal(1, await StoredAsync("rum_twice"));
        Assert.Equal(0, await Redis.StreamLengthAsync(RumBuffer.Key));
    }
}
