using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FourSite.Testing;
using Xunit;

namespace FourSite.Generation.Tests;

/// <summary>Generation with an AI provider configured (faked over HTTP): its copy when it answers, the built-in site when it fails.</summary>
public sealed class AiWriterTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    [Fact]
    public async Task A_working_provider_writes_the_copy()
    {
        await using var host = await GenerationHost.StartAsync(servers, withAi: true);
        host.GitHub.AddRepository("octo", "smart");
        host.Ai!.AnswerWith(new
        {
            title = "Smart Rocket",
            tagline = "Ship <b>faster</b> than ever",
            description = "An AI-written description.",
            features = new[] { "One-click deploys", "Zero config", "javascript:alert(1) safe" },
            techStack = new[] { "C#", ".NET" },
        });

        using var response = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/smart" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fake-model", body.GetProperty("model").GetString());
        Assert.False(body.GetProperty("fallbackUsed").GetBoolean());
        var siteData = body.GetProperty("siteData");
        Assert.Equal("Smart Rocket", siteData.GetProperty("title").GetString());
        Assert.Equal("Ship faster than ever", siteData.GetProperty("tagline").GetString());
        Assert.DoesNotContain("javascript:", siteData.GetRawText());
        Assert.Equal(1, host.Ai.Calls);
    }

    [Fact]
    public async Task A_failing_provider_answers_503_with_the_built_in_site()
    {
        await using var host = await GenerationHost.StartAsync(servers, withAi: true);
        host.GitHub.AddRepository("octo", "fallback", description: "Still works");
        host.Ai!.FailWith(HttpStatusCode.InternalServerError);

        using var response = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/fallback" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.True(body.GetProperty("fallbackUsed").GetBoolean());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetString()));
        Assert.Equal("template", body.GetProperty("model").GetString());
        Assert.Equal("Still works", body.GetProperty("siteData").GetProperty("tagline").GetString());
        // The fallback site is real: it can be opened.
        using var page = await host.Client.GetAsync(body.GetProperty("siteUrl").GetString());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task An_unusable_answer_counts_as_a_failure()
    {
        await using var host = await GenerationHost.StartAsync(servers, withAi: true);
        host.GitHub.AddRepository("octo", "garbled");
        host.Ai!.AnswerWith(new { nonsense = true });

        using var response = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/garbled" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(body.GetProperty("fallbackUsed").GetBoolean());
    }
}
