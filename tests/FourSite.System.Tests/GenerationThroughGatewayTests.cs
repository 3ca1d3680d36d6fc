using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace FourSite.System.Tests;

/// <summary>A generation through the whole system: gateway, Generation API, RabbitMQ, the consumer, PostgreSQL and Redis.</summary>
[Collection(PlatformCollection.Name)]
public sealed class GenerationThroughGatewayTests(PlatformApp platform)
{
    [Fact]
    public async Task A_repository_becomes_a_site_served_through_the_gateway()
    {
        platform.GitHub.AddRepository("acme", "launchpad", description: "Launch pads for everyone");
        using var client = platform.CreateGatewayClient();

        using var response = await client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/acme/launchpad" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Launch pads for everyone", body.GetProperty("siteData").GetProperty("tagline").GetString());

        using var page = await client.GetAsync(body.GetProperty("siteUrl").GetString());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Launch pads for everyone", await page.Content.ReadAsStringAsync());

        using var script = await client.GetAsync("/s/assets/site.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);

        var site = await client.GetFromJsonAsync<JsonElement>($"/api/sites/{body.GetProperty("slug").GetString()}");
        Assert.Equal(body.GetProperty("siteId").GetGuid(), site.GetProperty("siteId").GetGuid());
    }

    [Fact]
    public async Task Job_events_stream_through_the_gateway()
    {
        platform.GitHub.AddRepository("acme", "streamer");
        using var client = platform.CreateGatewayClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/generate") { Content = JsonContent.Create(new { repoUrl = "https://github.com/acme/streamer" }) };
        request.Headers.Add("Prefer", "respond-async");
        using var accepted = await client.SendAsync(request);
        var jobId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();

        using var events = await client.GetAsync($"/api/generate/{jobId}/events", HttpCompletionOption.ResponseHeadersRead);
        var stream = await events.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("text/event-stream", events.Content.Headers.ContentType?.MediaType);
        Assert.Contains("event: completed", stream);
    }
}
