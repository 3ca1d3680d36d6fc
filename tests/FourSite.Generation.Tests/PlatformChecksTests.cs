using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FourSite.Contracts.Leads;
using FourSite.Generation.GitHub;
using FourSite.Generation.Moderation;
using FourSite.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace FourSite.Generation.Tests;

/// <summary>
/// The platform's own checks raise sites into the moderation queue, never suspending them: a day-old repository with no
/// stars whose page links off GitHub to a sign-in form, and a site another service flagged (a flood of sign-ups).
/// </summary>
public sealed class PlatformChecksTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private const string OperatorKey = "platform-checks-operator-key";
    private const string PhishingReadme = "# Free Stars\n\nGet 1000 stars today.\n\n[Verify your GitHub account](https://github-verify.example/login?next=stars)\n";
    private GenerationHost _host = null!;

    public async Task InitializeAsync() => _host = await GenerationHost.StartAsync(servers, settings: new Dictionary<string, string?>
    {
        ["FourSite:Operator:ApiKey"] = OperatorKey,
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(Guid SiteId, string Slug)> GenerateAsync(string name)
    {
        using var response = await _host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = $"https://github.com/fresh-org/{name}" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("siteId").GetGuid(), body.GetProperty("slug").GetString()!);
    }

    private async Task<List<JsonElement>> QueueAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/moderation/reports?state=open");
        request.Headers.Add("X-Api-Key", OperatorKey);
        using var response = await _host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
    }

    [Fact]
    public async Task A_new_starless_repository_linking_to_a_sign_in_page_is_raised_as_phishing_and_stays_up()
    {
        _host.GitHub.AddRepository("fresh-org", "free-stars", readme: PhishingReadme, stars: 0, createdAt: DateTimeOffset.UtcNow.AddHours(-2));
        _host.GitHub.AddRepository("fresh-org", "old-stars", readme: PhishingReadme, stars: 0, createdAt: DateTimeOffset.UtcNow.AddDays(-400));
        _host.GitHub.AddRepository("fresh-org", "starred-stars", readme: PhishingReadme, stars: 3, createdAt: DateTimeOffset.UtcNow.AddHours(-2));
        _host.GitHub.AddRepository("fresh-org", "honest-tool", stars: 0, createdAt: DateTimeOffset.UtcNow.AddHours(-2));

        var phishing = await GenerateAsync("free-stars");
        var others = new[] { await GenerateAsync("old-stars"), await GenerateAsync("starred-stars"), await GenerateAsync("honest-tool") };

        var queue = await QueueAsync();
        var raised = queue.Single(site => site.GetProperty("siteId").GetGuid() == phishing.SiteId);
        var report = raised.GetProperty("items").EnumerateArray().Single();
        Assert.Equal("phishing", report.GetProperty("reason").GetString());
        Assert.Contains("new repository login links", report.GetProperty("details").GetString(), StringComparison.Ordinal);
        Assert.Equal("live", raised.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.OK, (await _host.Client.GetAsync($"/s/{phishing.Slug}")).StatusCode);
        Assert.All(others, other => Assert.DoesNotContain(queue, site => site.GetProperty("siteId").GetGuid() == other.SiteId));
    }

    [Fact]
    public async Task A_site_flagged_by_another_service_enters_the_queue_once()
    {
        _host.GitHub.AddRepository("fresh-org", "popular-form");
        _host.GitHub.AddRepository("fresh-org", "other-form");
        var site = await GenerateAsync("popular-form");
        var marker = await GenerateAsync("other-form");
        var bus = _host.Service.Services.GetRequiredService<IBus>();
        bool Queued(List<JsonElement> sites, Guid siteId) => sites.Any(entry => entry.GetProperty("siteId").GetGuid() == siteId);

        await bus.Publish(new SiteFlagged(site.SiteId, "capture_burst", "50 or more new leads within an hour from the network 203.0.113.0/24", DateTimeOffset.UtcNow));
        await Eventually.ReturnsAsync(QueueAsync, sites => Queued(sites, site.SiteId));
        // Flagged again, and a site that does not exist; then another site, whose report shows those were handled.
        await bus.Publish(new SiteFlagged(site.SiteId, "capture_burst", "again", DateTimeOffset.UtcNow));
        await bus.Publish(new SiteFlagged(Guid.NewGuid(), "capture_burst", "a site that does not exist", DateTimeOffset.UtcNow));
        await bus.Publish(new SiteFlagged(marker.SiteId, "capture_burst", "marker", DateTimeOffset.UtcNow));

        var queue = await Eventually.ReturnsAsync(QueueAsync, sites => Queued(sites, marker.SiteId));
        var report = queue.Single(entry => entry.GetProperty("siteId").GetGuid() == site.SiteId).GetProperty("items").EnumerateArray().Single();
        Assert.Equal("spam", report.GetProperty("reason").GetString());
        Assert.Contains("203.0.113.0/24", report.GetProperty("details").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://github-verify.example/login", 2, 0, "new_repository_login_links")]
    [InlineData("https://wallet.example/connect", 2, 0, "new_repository_login_links")]
    [InlineData("https://docs.example/guide", 2, 0, null)]
    [InlineData("https://github.com/login", 2, 0, null)]
    [InlineData("https://someone.github.io/sign-in", 2, 0, null)]
    [InlineData("https://github-verify.example/login", 30, 0, null)]
    [InlineData("https://github-verify.example/login", 2, 1, null)]
    public void Only_a_new_starless_repository_linking_off_github_to_a_sign_in_is_raised(string link, int hoursOld, int stars, string? expected)
    {
        var now = DateTimeOffset.UtcNow;
        var repository = new RepositorySnapshot("o", "r", null, stars, 0, null, [], null, null, "", [], null, now, now.AddHours(-hoursOld));
        Assert.Equal(expected, LoginLinkCheck.Check(repository, $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">here</a></p>", now));
    }

    [Fact]
    public void A_sign_in_link_in_the_readme_counts_though_the_page_does_not_show_it()
    {
        var now = DateTimeOffset.UtcNow;
        var repository = new RepositorySnapshot("o", "r", null, 0, 0, null, [], null, null, PhishingReadme, [], null, now, now.AddHours(-1));
        Assert.Equal(LoginLinkCheck.Name, LoginLinkCheck.Check(repository, "<p>Nothing to see</p>", now));
    }

    [Fact]
    public void A_repository_of_unknown_age_is_not_raised()
    {
        var repository = new RepositorySnapshot("o", "r", null, 0, 0, null, [], null, "https://x.example/login", "", [], null, DateTimeOffset.UtcNow);
        Assert.Null(LoginLinkCheck.Check(repository, "", DateTimeOffset.UtcNow));
    }
}
