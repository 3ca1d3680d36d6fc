using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FourSite.Testing;
using Xunit;

namespace FourSite.Generation.Tests;

/// <summary>
/// Owners write over the generated copy: edits show at once (page and card), survive a regeneration while untouched
/// fields follow the README, are cleaned like generated copy, keep a history to restore from; nobody else may edit.
/// </summary>
public sealed class ContentEditingTests(PlatformServers servers) : IClassFixture<PlatformServers>, IAsyncLifetime
{
    private GenerationHost _host = null!;

    public async Task InitializeAsync() => _host = await GenerationHost.StartAsync(servers);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient Client => _host.Client;

    private async Task<(Guid SiteId, string Slug, string Token)> GenerateAsync(string name, string readme)
    {
        _host.GitHub.AddRepository("editors", name, description: "The first version", readme: readme);
        using var response = await Client.PostAsJsonAsync("/api/generate", new { repoUrl = $"https://github.com/editors/{name}" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("siteId").GetGuid(), body.GetProperty("slug").GetString()!, body.GetProperty("ownerToken").GetString()!);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, string? token)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) }.As("generation", null, token);
        return await Client.SendAsync(request);
    }

    private static string CardOf(string page) =>
        global::System.Text.RegularExpressions.Regex.Match(page, "<meta property=\"og:image\" content=\"([^\"]+)\">").Groups[1].Value;

    [Fact]
    public async Task An_edit_shows_at_once_and_survives_a_regeneration_while_untouched_fields_follow_the_readme()
    {
        var (siteId, slug, token) = await GenerateAsync("survivor", "# Survivor\n\nThe first version keeps going.\n\n## Features\n\n- Old one\n- Old two\n- Old three\n");
        var before = await Client.GetStringAsync($"/s/{slug}");

        using var edited = await SendAsync(HttpMethod.Patch, $"/api/sites/{siteId}/content",
            new { title = "Survivor Pro", tagline = "Keeps going, whatever happens", callToAction = new { label = "Start free", url = "https://survivor.example/start" } }, token);
        var content = await edited.Content.ReadFromJsonAsync<JsonElement>();
        var after = await Client.GetStringAsync($"/s/{slug}");

        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal(["title", "tagline", "callToAction"], content.GetProperty("edited").EnumerateArray().Select(field => field.GetString()));
        Assert.Contains("<h1>Survivor Pro</h1>", after, StringComparison.Ordinal);
        Assert.Contains("""<a class="button primary" href="https://survivor.example/start" rel="noopener">Start free</a>""", after, StringComparison.Ordinal);
        Assert.NotEqual(CardOf(before), CardOf(after));

        _host.GitHub.AddRepository("editors", "survivor", description: "The second version", version: "v2",
            readme: "# Survivor\n\nThe second version is faster.\n\n## Features\n\n- New one\n- New two\n- New three\n");
        using var regenerate = await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/regenerate", null, token);
        var jobId = (await regenerate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetGuid();
        await Eventually.ReturnsAsync(() => Client.GetFromJsonAsync<JsonElement>($"/api/generate/{jobId}"), job => job.GetProperty("status").GetString() == "completed");
        var regenerated = await Client.GetFromJsonAsync<JsonElement>($"/api/sites/{siteId}");
        var data = regenerated.GetProperty("siteData");

        Assert.Equal("Survivor Pro", data.GetProperty("title").GetString());
        Assert.Equal("Keeps going, whatever happens", data.GetProperty("tagline").GetString());
        Assert.Contains("New one", data.GetProperty("features").EnumerateArray().Select(feature => feature.GetString()));
        Assert.Contains("<h1>Survivor Pro</h1>", await Client.GetStringAsync($"/s/{slug}"), StringComparison.Ordinal);
        using var reread = await SendAsync(HttpMethod.Get, $"/api/sites/{siteId}/content", null, token);
        var written = (await reread.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("written");
        Assert.Equal("Survivor", written.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Markup_in_an_edit_is_inert_and_limits_are_held()
    {
        var (siteId, slug, token) = await GenerateAsync("inert", "# Inert\n\nNothing runs here.\n");

        using var edited = await SendAsync(HttpMethod.Patch, $"/api/sites/{siteId}/content", new
        {
            title = "<img src=x onerror=alert(1)>Inert",
            tagline = "\"><script>alert('tagline')</script>Quiet",
            features = new[] { "<b>Bold</b> claims", "javascript:alert(2)" },
        }, token);
        var page = await Client.GetStringAsync($"/s/{slug}");

        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
        Assert.DoesNotContain("onerror", page, StringComparison.Ordinal);
        Assert.Contains("<h1>Inert</h1>", page, StringComparison.Ordinal);

        foreach (var invalid in new object[]
        {
            new { title = new string('x', 81) },
            new { title = "   " },
            new { features = Array.Empty<string>() },
            new { features = Enumerable.Range(0, 9).Select(i => $"Feature {i}").ToArray() },
            new { callToAction = new { label = "Go", url = "javascript:alert(1)" } },
            new { reset = new[] { "everything" } },
            new { },
        })
        {
            using var refused = await SendAsync(HttpMethod.Patch, $"/api/sites/{siteId}/content", invalid, token);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task The_history_keeps_each_edit_a_reset_hands_a_field_back_and_a_restore_brings_an_edit_back()
    {
        var (siteId, slug, token) = await GenerateAsync("history", "# History\n\nEvery edit is kept.\n");
        await (await SendAsync(HttpMethod.Patch, $"/api/sites/{siteId}/content", new { title = "First edit" }, token)).Content.ReadAsStringAsync();
        await (await SendAsync(HttpMethod.Patch, $"/api/sites/{siteId}/content", new { title = "Second edit" }, token)).Content.ReadAsStringAsync();

        using var reset = await SendAsync(HttpMethod.Patch, $"/api/sites/{siteId}/content", new { reset = new[] { "title" } }, token);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Contains("<h1>History</h1>", await Client.GetStringAsync($"/s/{slug}"), StringComparison.Ordinal);

        var history = (await reset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(3, history.Count);
        var first = history.Single(edit => edit.GetProperty("overrides").GetProperty("title").GetString() == "First edit");
        Assert.Equal("owner token", first.GetProperty("editedBy").GetString());
        using var restored = await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/content/restore", new { editId = first.GetProperty("id").GetGuid() }, token);

        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Contains("<h1>First edit</h1>", await Client.GetStringAsync($"/s/{slug}"), StringComparison.Ordinal);
        using var unknown = await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/content/restore", new { editId = Guid.NewGuid() }, token);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Nobody_but_the_owner_reads_or_edits_the_copy()
    {
        var (siteId, slug, _) = await GenerateAsync("guarded", "# Guarded\n\nOnly its owner writes here.\n");
        var (_, _, otherToken) = await GenerateAsync("neighbour", "# Neighbour\n\nAnother site.\n");
        var edit = new { title = "Defaced" };

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Patch, $"/api/sites/{siteId}/content", edit, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Patch, $"/api/sites/{siteId}/content", edit, otherToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, $"/api/sites/{siteId}/content", null, otherToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, $"/api/sites/{siteId}/content/restore", new { editId = Guid.NewGuid() }, otherToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Patch, $"/api/sites/{Guid.NewGuid()}/content", edit, otherToken)).StatusCode);
        Assert.DoesNotContain("Defaced", await Client.GetStringAsync($"/s/{slug}"), StringComparison.Ordinal);
    }
}
