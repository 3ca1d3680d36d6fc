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
        host.GitHub.AddRepository("octo", "smart-rocket", readme: "# Smart Rocket\n\nSmart Rocket ships your releases to every store in one step.\n");
        host.Ai!.AnswerWith(new
        {
            title = "Rocket 3000",
            tagline = "Ship <b>faster</b> than ever",
            description = "An AI-written description.",
            features = new[] { "One-click deploys", "Zero config", "javascript:alert(1) safe" },
            techStack = new[] { "C#", ".NET" },
        });

        using var response = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/smart-rocket" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("fake-model", body.GetProperty("model").GetString());
        Assert.False(body.GetProperty("fallbackUsed").GetBoolean());
        var siteData = body.GetProperty("siteData");
        // The name is the README's, whatever the model calls the project.
        Assert.Equal("Smart Rocket", siteData.GetProperty("title").GetString());
        Assert.Equal("Ship faster than ever", siteData.GetProperty("tagline").GetString());
        Assert.DoesNotContain("javascript:", siteData.GetRawText());
        Assert.Equal(1, host.Ai.Calls);
    }

    [Fact]
    public async Task The_model_writes_prose_but_never_invents_an_install_command_or_a_link()
    {
        await using var host = await GenerationHost.StartAsync(servers, withAi: true);
        host.GitHub.AddRepository("octo", "honest-kit", languages: new() { ["Python"] = 1000 }, readme: """
            # honest-kit

            honest-kit checks your dependencies against the licences you allow, before they reach production.

            ## Installation

            ```console
            $ pip install honest-kit
            ```

            Read more at https://honest-kit.example/docs.
            """);
        host.Ai!.AnswerWith(new
        {
            title = "Honest Kit Pro",
            tagline = "Licences checked before you ship",
            description = "Install it with pip install evil-kit and read https://evil.example/setup to start. Docs live at https://honest-kit.example/docs.",
            features = new[] { "Run npm install trojan-helper to get going", "Fast licence checks" },
            techStack = new[] { "Python" },
        });

        using var response = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/honest-kit" });
        var siteData = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("siteData");
        var text = siteData.GetRawText();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("honest-kit", siteData.GetProperty("title").GetString());
        Assert.Equal("pip install honest-kit", siteData.GetProperty("installCommand").GetString());
        Assert.Contains("pip install honest-kit", siteData.GetProperty("description").GetString());
        Assert.Contains("https://honest-kit.example/docs", siteData.GetProperty("description").GetString());
        Assert.DoesNotContain("evil", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("trojan", text, StringComparison.OrdinalIgnoreCase);
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

    [Fact]
    public async Task The_tech_stack_is_the_repositorys_whatever_the_model_answers()
    {
        await using var host = await GenerationHost.StartAsync(servers, withAi: true);
        host.GitHub.AddRepository("octo", "stacked", languages: new() { ["Go"] = 900, ["Shell"] = 100 }, topics: ["cli", "kubernetes"],
            readme: "# stacked\n\nstacked deploys your services to every cluster you run, in one command.\n");
        host.Ai!.AnswerWith(new { title = "stacked", tagline = "Deploys everywhere", description = "One command.", features = new[] { "Fast" }, techStack = Array.Empty<string>() });

        using var response = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/stacked" });
        var stack = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("siteData").GetProperty("techStack").EnumerateArray().Select(item => item.GetString()).ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Go", stack);
        Assert.Contains("Shell", stack);
        Assert.Contains("kubernetes", stack);
    }
}
