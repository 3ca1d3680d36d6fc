using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using FourSite.Contracts.Generation;
using FourSite.Testing;
using FourSite.Viral.Scores;
using FourSite.Viral.Shares;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;
using Xunit;

namespace FourSite.Viral.Tests;

/// <summary>
/// Which sites the showcase leaves out: withheld by an operator, removed by their owner, or never generated (a low
/// threshold, so two Hacker News shares feature a site).
/// </summary>
public sealed class ShowcaseRemovalTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private const string OperatorKey = "operator-key-for-tests";
    private ServiceFactory<Program> _service = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _service = new ServiceFactory<Program>(servers, ApplicationServiceExtensions.DatabaseName, new Dictionary<string, string?>
        {
            ["FourSite:Viral:FeatureThreshold"] = "5",
            ["FourSite:Operator:ApiKey"] = OperatorKey,
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

    private async Task<HttpResponseMessage> WithholdAsync(Guid site, string? key = OperatorKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/showcase/{site}");
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return await _client.SendAsync(request);
    }

    private async Task<bool> ShowcaseListsAsync(Guid site)
    {
        var showcase = await _client.GetFromJsonAsync<JsonElement>("/api/showcase");
        return showcase.EnumerateArray().Any(entry => entry.GetProperty("siteId").GetGuid() == site);
    }

    private async Task<bool> FeaturedAsync(Guid site) =>
        (await _client.GetFromJsonAsync<JsonElement>($"/api/viral/sites/{site}")).GetProperty("featured").GetBoolean();

    [Fact]
    public async Task A_withheld_site_leaves_the_showcase_and_is_not_featured_again()
    {
        var site = Guid.NewGuid();
        await GeneratedSites.AnnounceAsync(_service, _client, site);
        await GeneratedSites.AssessVitalsAsync(_service, _client, site);
        await ShareAsync(site, 2);
        await GeneratedSites.FoldAsync(_service, site);
        Assert.True(await ShowcaseListsAsync(site));

        using var withheld = await WithholdAsync(site);
        await ShareAsync(site, 3);
        await GeneratedSites.FoldAsync(_service, site);
        using var again = await WithholdAsync(site);

        Assert.Equal(HttpStatusCode.NoContent, withheld.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.False(await ShowcaseListsAsync(site));
        var stats = await _client.GetFromJsonAsync<JsonElement>($"/api/viral/sites/{site}");
        Assert.False(stats.GetProperty("featured").GetBoolean());
        Assert.Equal(5, stats.GetProperty("shares").GetInt32());
    }

    [Fact]
    public async Task A_suspended_site_leaves_the_showcase_and_returns_when_reinstated()
    {
        var site = Guid.NewGuid();
        await GeneratedSites.AnnounceAsync(_service, _client, site);
        await GeneratedSites.AssessVitalsAsync(_service, _client, site);
        await ShareAsync(site, 2);
        await GeneratedSites.FoldAsync(_service, site);
        Assert.True(await ShowcaseListsAsync(site));
        var bus = _service.Services.GetRequiredService<MassTransit.IBus>();

        await bus.Publish(new SiteSuspended(site, "kite-suspended", "abuse", "Phishing form", DateTimeOffset.UtcNow));
        Assert.False(await Eventually.ReturnsAsync(() => ShowcaseListsAsync(site), listed => !listed));

        await bus.Publish(new SiteReinstated(site, "kite-suspended", DateTimeOffset.UtcNow));
        Assert.True(await Eventually.ReturnsAsync(() => ShowcaseListsAsync(site), listed => listed));
    }

    [Fact]
    public async Task A_site_withheld_before_it_crosses_the_threshold_is_never_featured()
    {
        var site = Guid.NewGuid();
        await GeneratedSites.AnnounceAsync(_service, _client, site);
        await GeneratedSites.AssessVitalsAsync(_service, _client, site);
        await ShareAsync(site, 1);

        using var withheld = await WithholdAsync(site);
        await ShareAsync(site, 4);
        await GeneratedSites.FoldAsync(_service, site);

        Assert.Equal(HttpStatusCode.NoContent, withheld.StatusCode);
        Assert.False(await FeaturedAsync(site));
        Assert.False(await ShowcaseListsAsync(site));
        await using var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM auto_featuring_events WHERE website_id = @site", new { site }));
    }

    [Fact]
    public async Task A_removed_site_is_forgotten_with_its_shares_and_place_in_the_showcase()
    {
        var site = Guid.NewGuid();
        var other = Guid.NewGuid();
        await GeneratedSites.AnnounceAsync(_service, _client, site);
        await GeneratedSites.AnnounceAsync(_service, _client, other);
        await GeneratedSites.AssessVitalsAsync(_service, _client, site);
        await GeneratedSites.AssessVitalsAsync(_service, _client, other);
        await ShareAsync(site, 2);
        await ShareAsync(other, 2);
        await GeneratedSites.FoldAsync(_service, site);
        await GeneratedSites.FoldAsync(_service, other);
        Assert.True(await ShowcaseListsAsync(site));

        using var gone = await GeneratedSites.RemoveAsync(_service, _client, site);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.False(await ShowcaseListsAsync(site));
        Assert.True(await ShowcaseListsAsync(other));
        await using var connection = new NpgsqlConnection(_service.DatabaseConnectionString);
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM shares WHERE website_id = @site", new { site }));
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM shares WHERE website_id = @other", new { other }));
        var redis = _service.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        Assert.Null(await Eventually.ReturnsAsync(() => redis.SortedSetScoreAsync(HotScores.Key, site.ToString()), score => score is null));
        Assert.NotNull(await redis.SortedSetScoreAsync(HotScores.Key, other.ToString()));
        // A score computed before the removal but written after it does not bring the site back.
        await _service.Services.GetRequiredService<HotScores>().SetAsync(site, 9.5);
        Assert.Null(await redis.SortedSetScoreAsync(HotScores.Key, site.ToString()));
    }

    [Fact]
    public async Task A_site_no_one_generated_never_shows_in_the_showcase_however_it_is_shared()
    {
        var unknown = Guid.NewGuid();
        await ShareAsync(unknown, 1);
        await using (var connection = new NpgsqlConnection(_service.DatabaseConnectionString))
        {
            // Good vitals as if its page were real, so only its being unknown keeps it out.
            await connection.ExecuteAsync("UPDATE viral_scores SET vitals_assessment = 'good' WHERE website_id = @unknown", new { unknown });
        }

        await ShareAsync(unknown, 3);
        await GeneratedSites.FoldAsync(_service, unknown);

        Assert.True(await FeaturedAsync(unknown), "the share count crossed the threshold");
        Assert.False(await ShowcaseListsAsync(unknown));
    }

    [Fact]
    public async Task A_removed_site_stays_removed_and_its_owner_keeps_the_relationship()
    {
        var site = Guid.NewGuid();
        var neighbour = Guid.NewGuid();
        var createdAt = DateTimeOffset.UtcNow.AddMonths(-7);
        var (ownerId, token) = await GeneratedSites.AnnounceAsync(_service, _client, site, createdAt);
        await GeneratedSites.AnnounceAsync(_service, _client, neighbour);
        using var issued = await IssueReferralAsync(token);
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var code = (await issued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
        Assert.True(await VisitCountsAsync(neighbour, code, "visitor-before"));
        var rateBefore = await _client.GetFromJsonAsync<JsonElement>($"/api/commissions/rate?userId={ownerId}");

        (await GeneratedSites.RemoveAsync(_service, _client, site)).Dispose();
        // SiteGenerated handled after the removal (its own queue may run late) does not bring the site back.
        await _service.Services.GetRequiredService<ShareStore>().RememberSiteAsync(new SiteGenerated(Guid.NewGuid(), site, GeneratedSites.SlugOf(site), "Kite", "octo", "kite",
            "library", "LibraryTemplate", ownerId, ServiceDefaults.Access.Credentials.Hash(token), "template", false, 10, createdAt), CancellationToken.None);

        foreach (var attempt in new[] { 1, 2 })
        {
            using var share = await ShareRequests.SendAsync(_client, site, "twitter", "late-visitor");
            Assert.True(share.StatusCode == HttpStatusCode.Gone, $"share {attempt}: {share.StatusCode}");
            Assert.Equal("site_removed", (await share.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync($"/api/viral/sites/{site}")).StatusCode);
        using var refused = await IssueReferralAsync(token);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.False(await VisitCountsAsync(neighbour, code, "visitor-after"));
        var rateAfter = await _client.GetFromJsonAsync<JsonElement>($"/api/commissions/rate?userId={ownerId}");
        Assert.Equal(0.30m, rateBefore.GetProperty("rate").GetDecimal());
        Assert.Equal(0.30m, rateAfter.GetProperty("rate").GetDecimal());
    }

    private async Task<HttpResponseMessage> IssueReferralAsync(string ownerToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/referrals");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ownerToken);
        return await _client.SendAsync(request);
    }

    /// <summary>Whether a visit to <paramref name="site"/> through a referral code counts.</summary>
    private async Task<bool> VisitCountsAsync(Guid site, string referralCode, string session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/share/visit") { Content = JsonContent.Create(new { websiteId = site, referralCode }) };
        request.Headers.Add("X-Session-Id", session);
        using var response = await _client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("counted").GetBoolean();
    }

    [Fact]
    public async Task Withholding_needs_the_operator_key_and_a_known_site()
    {
        var site = Guid.NewGuid();
        await GeneratedSites.AnnounceAsync(_service, _client, site);
        await GeneratedSites.AssessVitalsAsync(_service, _client, site);
        await ShareAsync(site, 2);
        await GeneratedSites.FoldAsync(_service, site);

        using var anonymous = await WithholdAsync(site, key: null);
        using var wrongKey = await WithholdAsync(site, key: "not-the-key");
        using var unknown = await WithholdAsync(Guid.NewGuid());

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("site_not_found", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.True(await ShowcaseListsAsync(site));
    }
}
