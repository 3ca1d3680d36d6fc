using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FourSite.Testing;
using Xunit;

namespace FourSite.Generation.Tests;

/// <summary>How many generations one replica runs at once: its setting, not the broker's default of twice the cores.</summary>
public sealed class GenerationConcurrencyTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    [Fact]
    public async Task A_replica_runs_as_many_generations_at_once_as_its_setting_and_queues_the_rest()
    {
        await using var host = await GenerationHost.StartAsync(servers, settings: new() { ["FourSite:Generation:Concurrency"] = "6" });
        // Every call to GitHub held, so the jobs are still running while they are counted.
        host.GitHub.AddSlowRepositoriesOf("slow", TimeSpan.FromSeconds(30));

        var jobs = new List<Guid>();
        for (var i = 0; i < 9; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/generate") { Content = JsonContent.Create(new { repoUrl = $"https://github.com/slow/project-{i}" }) };
            request.Headers.Add("Prefer", "respond-async");
            using var response = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            jobs.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid());
        }

        var statuses = await Eventually.ReturnsAsync(
            async () => await Task.WhenAll(jobs.Select(async job =>
                (await host.Client.GetFromJsonAsync<JsonElement>($"/api/generate/{job}")).GetProperty("status").GetString())),
            found => found.Count(status => status == "running") == 6,
            TimeSpan.FromSeconds(20));

        Assert.Equal(6, statuses.Count(status => status == "running"));
        Assert.Equal(3, statuses.Count(status => status == "queued"));
    }
}
