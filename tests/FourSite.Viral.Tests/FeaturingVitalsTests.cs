using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FourSite.Testing;
using Npgsql;
using Xunit;

namespace FourSite.Viral.Tests;

/// <summary>
/// Featuring is earned by shares and by real-user speed: a site over the threshold waits for enough good vitals, one
/// whose vitals are poor is not featured and shows why. Share milestones are announced once each.
/// </summary>
public sealed class FeaturingVitalsTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
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

    private async Task ShareAsync(Guid site, int times)
    {
        for (var i = 0; i < times; i++)
        {
            using var response = await ShareRequests.SendAsync(_client, site, "hackernews", $"session-{Guid.NewGuid():N}");
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    private Task<JsonElement> StatsAsync(Guid site) => _client.GetFromJsonAsync<JsonElement>($"/api/viral/sites/{site}");

    private NpgsqlConnection Database() => new(_service.DatabaseConnectionString);

    [Fact]
    public async Task A_site_over_the_threshold_waits_for_enough_samples_and_is_featured_once_they_are_good()
    {
        var site = Guid.NewGuid();
        await GeneratedSites.AnnounceAsync(_service, _client, site);
        await ShareAsync(site, 3);

        var waiting = await StatsAsync(site);
        Assert.True(waiting.GetProperty("viralScore").GetDouble() >= 5);
        Assert.False(waiting.GetProperty("featured").GetBoolean());
        Assert.Equal("insufficient_samples", waiting.GetProperty("vitals").GetProperty("assessment").GetString());
        Assert.Equal(0, waiting.GetProperty("vitals").GetProperty("samples").GetInt32());

        await GeneratedSites.AssessVitalsAsync(_service, _client, site, "insufficient_samples", samples: 12);
        Assert.False((await StatsAsync(site)).GetProperty("featured").GetBoolean());

        // Enough samples, all good: featured without another share.
        await GeneratedSites.AssessVitalsAsync(_service, _client, site, "good", samples: 24, lcp: 1800, cls: 0.05, inp: 150);
        var featured = await StatsAsync(site);
        Assert.True(featured.GetProperty("featured").GetBoolean());
        var vitals = featured.GetProperty("vitals");
        Assert.Equal(1800, vitals.GetProperty("lcpP75").GetDouble());
        Assert.Equal(0.05, vitals.GetProperty("clsP75").GetDouble());
        Assert.Equal(150, vitals.GetProperty("inpP75").GetDouble());
        Assert.Contains((await _client.GetFromJsonAsync<JsonElement>("/api/showcase")).EnumerateArray(), entry => entry.GetProperty("siteId").GetGuid() == site);
        await using var connection = Database();
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM outbox_messages WHERE message_type LIKE 'FourSite.Contracts.Viral.SiteFeatured,%' AND body->>'siteId' = @site", new { site = site.ToString() }));
    }

    [Fact]
    public async Task A_slow_site_is_not_featured_however_it_is_shared_and_its_owner_sees_why()
    {
        var site = Guid.NewGuid();
        await GeneratedSites.AnnounceAsync(_service, _client, site);
        await GeneratedSites.AssessVitalsAsync(_service, _client, site, "poor", samples: 40, lcp: 4100, cls: 0.02, inp: 90);

        await ShareAsync(site, 6);

        var stats = await StatsAsync(site);
        Assert.False(stats.GetProperty("featured").GetBoolean());
        Assert.Equal("poor", stats.GetProperty("vitals").GetProperty("assessment").GetString());
        Assert.Equal(4100, stats.GetProperty("vitals").GetProperty("lcpP75").GetDouble());
        Assert.DoesNotContain((await _client.GetFromJsonAsync<JsonElement>("/api/showcase")).EnumerateArray(), entry => entry.GetProperty("siteId").GetGuid() == site);

        // An assessment older than the one held, even a good one, changes nothing.
        var now = DateTimeOffset.UtcNow;
        await GeneratedSites.AssessVitalsAsync(_service, _client, site, "poor", samples: 41, lcp: 4000, assessedAt: now);
        await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<MassTransit.IBus>(_service.Services).Publish(
            new Contracts.Metrics.SiteVitalsAssessed(GeneratedSites.SlugOf(site), 900, 0.01, 50, 99, "good", now.AddMinutes(-5)));
        await Task.Delay(TimeSpan.FromSeconds(2));
        stats = await StatsAsync(site);
        Assert.Equal("poor", stats.GetProperty("vitals").GetProperty("assessment").GetString());
        Assert.False(stats.GetProperty("featured").GetBoolean());
    }

    [Fact]
    public async Task Share_milestones_are_announced_once_each()
    {
        var site = Guid.NewGuid();
        await GeneratedSites.AnnounceAsync(_service, _client, site);

        await ShareAsync(site, 9);
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ShareAsync(site, 1)));

        await using var connection = Database();
        async Task<List<int>> MilestonesAsync() => (await connection.QueryAsync<int>("""
            SELECT (body->>'shares')::int FROM outbox_messages
            WHERE message_type LIKE 'FourSite.Contracts.Viral.ShareMilestoneReached,%' AND body->>'siteId' = @site
            """, new { site = site.ToString() })).ToList();
        Assert.Equal(12, (await StatsAsync(site)).GetProperty("shares").GetInt32());
        await Eventually.ReturnsAsync(MilestonesAsync, milestones => milestones.Count > 0);
        await Task.Delay(TimeSpan.FromSeconds(2)); // more folds: none announces 10 again
        Assert.Equal([10], await MilestonesAsync());
    }
}
