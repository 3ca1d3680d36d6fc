using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FourSite.Testing;
using Xunit;

namespace FourSite.Generation.Tests;

/// <summary>
/// GitHub that cannot be reached at all is told to the user at once (not after minutes of retries), a cached copy still
/// makes a site, and a README answered as GitHub's JSON content object is decoded.
/// </summary>
public sealed class GitHubReachabilityTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    /// <summary>
    /// Retries slow enough that a job which went through them could not end within the wait bound: an answer of 503
    /// (rather than 202) shows the unreachable GitHub was not retried that way.
    /// </summary>
    private static readonly Dictionary<string, string?> SlowRetries = new()
    {
        ["FourSite:GitHub:Resilience:Retry:MaxRetryAttempts"] = "3",
        ["FourSite:GitHub:Resilience:Retry:Delay"] = "00:00:10",
        ["FourSite:Messaging:Retry:Limit"] = "5",
        ["FourSite:Messaging:Retry:MinInterval"] = "00:00:10",
        ["FourSite:Messaging:Retry:MaxInterval"] = "00:00:30",
        ["FourSite:Generation:WaitBound"] = "00:00:15",
    };

    [Fact]
    public async Task An_unreachable_GitHub_is_a_503_github_unavailable_without_the_slow_retries()
    {
        await using var host = await GenerationHost.StartAsync(servers, settings: SlowRetries);
        host.GitHub.Disconnect();

        using var response = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/offline" });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("github_unavailable", problem.GetProperty("code").GetString());
        var job = await host.Client.GetFromJsonAsync<JsonElement>($"/api/generate/{problem.GetProperty("jobId").GetGuid()}");
        Assert.Equal("failed", job.GetProperty("status").GetString());
        Assert.Equal("github_unavailable", job.GetProperty("errorCode").GetString());
    }

    [Fact]
    public async Task While_GitHub_is_unreachable_a_cached_copy_still_makes_the_site()
    {
        var settings = new Dictionary<string, string?>(SlowRetries) { ["FourSite:Generation:CacheWindow"] = "00:00:00" };
        await using var host = await GenerationHost.StartAsync(servers, settings: settings);
        host.GitHub.AddRepository("octo", "remembered", description: "Fetched while GitHub was up");
        using var first = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/remembered" });
        host.GitHub.Disconnect();

        using var second = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/remembered" });
        var body = await second.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("Fetched while GitHub was up", body.GetProperty("siteData").GetProperty("tagline").GetString());
    }

    [Fact]
    public async Task A_readme_answered_as_a_base64_content_object_is_decoded_not_shown_as_json()
    {
        await using var host = await GenerationHost.StartAsync(servers);
        host.GitHub.AddRepository("octo", "enterprise");
        host.GitHub.AnswerReadmeAsContentObject("octo", "enterprise",
            "# Enterprise Kit\n\nShips signed builds to every région, fast.\n\n## Features\n\n- Signed builds\n- Regional mirrors\n- Audit trail\n");

        using var response = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/enterprise" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var page = await host.Client.GetStringAsync(body.GetProperty("siteUrl").GetString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var features = body.GetProperty("siteData").GetProperty("features").EnumerateArray().Select(feature => feature.GetString()).ToList();
        Assert.Contains("Signed builds", features);
        Assert.Contains("Regional mirrors", features);
        Assert.DoesNotContain("\"encoding\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("base64", page, StringComparison.Ordinal);
    }
}
