using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FourSite.Contracts.Generation;
using FourSite.ServiceDefaults.Telemetry;
using FourSite.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace FourSite.Viral.Tests;

/// <summary>Share tracking and site scores against real PostgreSQL, Redis and RabbitMQ.</summary>
public sealed class ShareApiTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private ServiceFactory<Program> _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName);
        _client = await _service.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
    }

    private Task<HttpResponseMessage> Share(Guid site, string platform, string session, string url = "https://4site.pro/s/kite-1234") =>
        ShareRequests.SendAsync(_client, site, platform, session, url);

    [Fact]
    public async Task A_share_is_recorded_and_raises_the_score()
    {
        var site = Guid.NewGuid();

        using var first = await Share(site, "hackernews", "s1");
        using var second = await Share(site, "twitter", "s2");
        var body = await second.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal(5, body.GetProperty("viralScore").GetDouble(), 1);
        var stats = await _client.GetFromJsonAsync<JsonElement>($"/api/viral/sites/{site}");
        Assert.Equal(2, stats.GetProperty("shares").GetInt32());
        Assert.Equal(1, stats.GetProperty("sharesByPlatform").GetProperty("twitter").GetInt32());
        Assert.False(stats.GetProperty("featured").GetBoolean());
    }

    [Fact]
    public async Task Each_score_calculation_is_timed_for_the_operators_rule()
    {
        var timings = _service.Services.GetRequiredService<TimingSignals>();
        var (before, _) = await timings.ReadAsync(TimingSignals.ViralScoreCalculation, TimeSpan.FromHours(1));

        using var shared = await Share(Guid.NewGuid(), "reddit", "timed-session");

        Assert.Equal(HttpStatusCode.Created, shared.StatusCode);
        var (after, averageMs) = await Eventually.ReturnsAsync(() => timings.ReadAsync(TimingSignals.ViralScoreCalculation, TimeSpan.FromHours(1)), read => read.Count > before);
        Assert.True(after > before);
        Assert.True(averageMs > 0);
    }

    [Fact]
    public async Task A_burst_from_one_session_counts_once()
    {
        var site = Guid.NewGuid();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Share(site, "reddit", "burst-session")));

        Assert.All(responses, response => Assert.True(response.IsSuccessStatusCode));
        Assert.Single(responses, response => response.StatusCode == HttpStatusCode.Created);
        await using var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM shares WHERE website_id = @site", new { site }));
    }

    [Theory]
    [InlineData("not-a-uuid", "twitter", "https://x.example", "websiteId")]
    [InlineData("6f1c0d7e-0000-4000-8000-000000000001", "myspace", "https://x.example", "platform")]
    [InlineData("6f1c0d7e-0000-4000-8000-000000000001", "twitter", "javascript:alert(1)", "shareUrl")]
    [InlineData("6f1c0d7e-0000-4000-8000-000000000001", "twitter", "", "shareUrl")]
    public async Task Bad_shares_are_400_with_the_field_named(string websiteId, string platform, string shareUrl, string field)
    {
        using var response = await _client.PostAsJsonAsync("/api/share/track", new { websiteId, platform, shareUrl });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task An_unknown_site_is_404_and_a_generated_one_is_known()
    {
        var site = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/viral/sites/{site}")).StatusCode);

        await _service.Services.GetRequiredService<IBus>().Publish(new SiteGenerated(Guid.NewGuid(), site, "kite-1234", "Kite", "octo", "kite", "app",
            "AppTemplate", Guid.NewGuid(), "hash", "template", false, 10, DateTimeOffset.UtcNow));

        var known = await Eventually.ReturnsAsync(() => _client.GetAsync($"/api/viral/sites/{site}"), response => response.StatusCode == HttpStatusCode.OK);
        var stats = await known.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, stats.GetProperty("viralScore").GetDouble());
        Assert.Equal(0, stats.GetProperty("kFactor").GetDouble());
    }
}

/// <summary>Auto-featuring and the showcase, with a low threshold so a few shares cross it.</summary>
public sealed class FeaturingTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private ServiceFactory<Program> _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, new Dictionary<string, string?>
        {
            ["FourSite:Viral:FeatureThreshold"] = "5",
        });
        _client = await _service.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
    }

    [Fact]
    public async Task A_site_crossing_the_threshold_is_featured_exactly_once()
    {
        var site = Guid.NewGuid();
        await GeneratedSites.AnnounceAsync(_service, _client, site);
        await GeneratedSites.AssessVitalsAsync(_service, _client, site);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            ShareRequests.SendAsync(_client, site, "hackernews", $"session-{i}", "https://4site.pro/s/x")));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Created, response.StatusCode));
        // Featuring follows the fold of the shares into the site's record.
        await using var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        await Eventually.ReturnsAsync(() => _client.GetFromJsonAsync<JsonElement>($"/api/viral/sites/{site}"), stats => stats.GetProperty("featured").GetBoolean());
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM auto_featuring_events WHERE website_id = @site", new { site }));
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'FourSite.Contracts.Viral.SiteFeatured%' AND body::text LIKE '%' || @site || '%'",
            new { site = site.ToString() }));
        var stats = await _client.GetFromJsonAsync<JsonElement>($"/api/viral/sites/{site}");
        Assert.True(stats.GetProperty("featured").GetBoolean());
        var showcase = await _client.GetFromJsonAsync<JsonElement>("/api/showcase");
        Assert.Contains(showcase.EnumerateArray(), entry => entry.GetProperty("siteId").GetGuid() == site);
    }

    [Fact]
    public async Task A_site_below_the_threshold_is_not_featured()
    {
        var site = Guid.NewGuid();
        await _client.PostAsJsonAsync("/api/share/track", new { websiteId = site, platform = "copy", shareUrl = "https://4site.pro/s/y" });

        var stats = await _client.GetFromJsonAsync<JsonElement>($"/api/viral/sites/{site}");
        var showcase = await _client.GetFromJsonAsync<JsonElement>("/api/showcase");

        Assert.False(stats.GetProperty("featured").GetBoolean());
        Assert.DoesNotContain(showcase.EnumerateArray(), entry => entry.GetProperty("siteId").GetGuid() == site);
    }
}
