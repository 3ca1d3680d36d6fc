using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FourSite.Testing;
using Xunit;

namespace FourSite.System.Tests;

/// <summary>
/// Operations through the gateway: generation jobs that fail after <c>POST /api/generate</c> answered 202 count against
/// the generation failure rate, and Metrics raises its critical alert.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OperationsThroughGatewayTests(PlatformApp platform)
{
    /// <summary>Enough failures to pass 5 % even just after the load test's successful generations.</summary>
    private const int FailingJobs = 30;

    [Fact]
    public async Task Generations_that_fail_behind_a_202_raise_the_generation_failure_rate_alert()
    {
        using var anyone = platform.CreateGatewayClient();
        using var operatorClient = platform.CreateGatewayClient();
        operatorClient.DefaultRequestHeaders.Add("X-Api-Key", PlatformApp.OperatorKey);
        var jobs = new List<Guid>();
        for (var i = 0; i < FailingJobs; i++)
        {
            // GitHub refuses these repositories (a rate limit): each job fails as github_unavailable once its retries are spent.
            platform.GitHub.FailRepository("throttled-org", $"project-{i}", HttpStatusCode.Forbidden);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/generate") { Content = JsonContent.Create(new { repoUrl = $"https://github.com/throttled-org/project-{i}" }) };
            request.Headers.Add("Prefer", "respond-async");
            // Each from an address of its own (the gateway trusts X-Forwarded-For from loopback): the rate limit is per client.
            request.Headers.Add("X-Forwarded-For", $"198.18.{i}.1");
            using var accepted = await anyone.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            jobs.Add((await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid());
        }

        foreach (var job in jobs)
        {
            var status = await Eventually.ReturnsAsync(() => anyone.GetFromJsonAsync<JsonElement>($"/api/generate/{job}"),
                body => body.GetProperty("status").GetString() == "failed", TimeSpan.FromMinutes(3));
            Assert.Equal("failed", status.GetProperty("status").GetString());
        }

        var alerts = await Eventually.ReturnsAsync(() => operatorClient.GetFromJsonAsync<JsonElement>("/api/alerts?state=open"),
            body => OpenRules(body).Contains("generation_failure_rate"), TimeSpan.FromMinutes(2));
        var alert = alerts.GetProperty("data").EnumerateArray().Single(item => item.GetProperty("rule").GetString() == "generation_failure_rate");
        Assert.Equal("critical", alert.GetProperty("severity").GetString());
        Assert.True(alert.GetProperty("value").GetDouble() > 0.05);
    }

    private static List<string?> OpenRules(JsonElement alerts) =>
        [.. alerts.GetProperty("data").EnumerateArray().Select(item => item.GetProperty("rule").GetString())];
}
