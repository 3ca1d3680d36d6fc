using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FourSite.Testing;
using FourSite.Viral.Scores;
using FourSite.Viral.Shares;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace FourSite.Viral.Tests;

/// <summary>A site going viral: many shares of one site at once, none waiting on the site's record, each counted once.</summary>
public sealed class HotSiteTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private static readonly string[] Platforms = ["twitter", "linkedin", "facebook", "reddit", "hackernews", "email", "copy"];
    private ServiceFactory<Program> _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, new Dictionary<string, string?>
        {
            // Folds only when a test asks, so what the record holds before and after is known.
            ["FourSite:Viral:ScoreFoldInterval"] = "00:10:00",
        });
        _client = await _service.CreateReadyClientAsync();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _service.DisposeAsync();
    }

    private Task<HttpResponseMessage[]> ShareAsync(Guid site, int count) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(i => ShareRequests.SendAsync(_client, site, Platforms[i % Platforms.Length], $"hot-{Guid.NewGuid():N}")));

    private Task<JsonElement> StatsAsync(Guid site) => _client.GetFromJsonAsync<JsonElement>($"/api/viral/sites/{site}");

    private NpgsqlConnection Database() => new(_service.DatabaseConnectionString);

    [Fact]
    public async Task Shares_are_answered_while_the_sites_record_is_locked()
    {
        var site = Guid.NewGuid();
        await GeneratedSites.AnnounceAsync(_service, _client, site);
        await using var holder = Database();
        await holder.OpenAsync();
        await using var held = await holder.BeginTransactionAsync();
        // As a fold, an owner change or a vitals assessment holds it.
        await holder.ExecuteAsync("SELECT 1 FROM viral_scores WHERE website_id = @site FOR NO KEY UPDATE", new { site }, held);

        var responses = await ShareAsync(site, 20).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Created, response.StatusCode));
        Assert.Equal(20, (await StatsAsync(site)).GetProperty("shares").GetInt32());
        await held.RollbackAsync();
    }

    [Fact]
    public async Task Concurrent_shares_of_one_site_are_each_counted_once_and_fold_into_its_record()
    {
        var site = Guid.NewGuid();
        await GeneratedSites.AnnounceAsync(_service, _client, site);

        var responses = await ShareAsync(site, 140);

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.Created, response.StatusCode));
        var scores = await Task.WhenAll(responses.Select(async response => (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("viralScore").GetDouble()));
        var expected = ViralScoreCalculator.FromParts(Platforms.Sum(platform => ViralScoreCalculator.PlatformWeights[platform]) * 20, 0, 0);
        Assert.All(scores, score => Assert.InRange(score, 0.5, expected));
        var before = await StatsAsync(site);
        Assert.Equal(140, before.GetProperty("shares").GetInt32());
        Assert.All(Platforms, platform => Assert.Equal(20, before.GetProperty("sharesByPlatform").GetProperty(platform).GetInt32()));
        Assert.Equal(expected, before.GetProperty("viralScore").GetDouble(), 1);

        await GeneratedSites.FoldAsync(_service, site);
        await GeneratedSites.FoldAsync(_service, site);

        await using var connection = Database();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM score_increments WHERE website_id = @site", new { site }));
        Assert.Equal(140, await connection.ExecuteScalarAsync<int>("SELECT shares FROM viral_scores WHERE website_id = @site", new { site }));
        Assert.Equal(140, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM shares WHERE website_id = @site", new { site }));
        var after = await StatsAsync(site);
        Assert.Equal(140, after.GetProperty("shares").GetInt32());
        Assert.All(Platforms, platform => Assert.Equal(20, after.GetProperty("sharesByPlatform").GetProperty(platform).GetInt32()));
        Assert.Equal(expected, after.GetProperty("viralScore").GetDouble(), 1);
        Assert.Equal(expected, await connection.ExecuteScalarAsync<double>("SELECT score FROM viral_scores WHERE website_id = @site", new { site }), 1);
    }

    [Fact]
    public async Task A_site_removed_while_it_is_being_shared_keeps_nothing()
    {
        var site = Guid.NewGuid();
        await GeneratedSites.AnnounceAsync(_service, _client, site);

        var sharing = ShareAsync(site, 60);
        await Task.Delay(20);
        await _service.Services.GetRequiredService<ShareStore>().ForgetSiteAsync(site, CancellationToken.None);
        var responses = await sharing;
        await GeneratedSites.FoldAsync(_service, site);

        Assert.All(responses, response => Assert.Contains(response.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Gone }));
        await using var connection = Database();
        foreach (var table in new[] { "shares", "score_increments", "share_counts" })
        {
            Assert.Equal(0, await connection.ExecuteScalarAsync<int>($"SELECT count(*) FROM {table} WHERE website_id = @site", new { site }));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/viral/sites/{site}")).StatusCode);
    }
}
