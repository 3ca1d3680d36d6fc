using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace FourSite.System.Tests;

/// <summary>Uptime monitors and <c>curl -I</c> ask with HEAD: every page and health answer as GET does, without a body.</summary>
[Collection(PlatformCollection.Name)]
public sealed class HeadRequestTests(PlatformApp platform)
{
    [Fact]
    public async Task Pages_sites_and_health_answer_head_like_get_without_a_body()
    {
        platform.GitHub.AddRepository("acme", "heads-up");
        using var client = platform.CreateGatewayClient();
        using var generated = await client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/acme/heads-up" });
        var siteUrl = (await generated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("siteUrl").GetString()!;
        var html = await client.GetStringAsync("/");
        var asset = global::System.Text.RegularExpressions.Regex.Match(html, "/assets/landing\\.[0-9a-f]{10}\\.js").Value;

        foreach (var path in new[] { "/", "/dashboard", "/ops", "/api/health", "/api/health/db", siteUrl, "/s/assets/site.js", asset, "/assets/rum.js" })
        {
            using var get = await client.GetAsync(path);
            using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

            Assert.True(get.StatusCode == HttpStatusCode.OK, $"GET {path}: {get.StatusCode}");
            Assert.True(head.StatusCode == HttpStatusCode.OK, $"HEAD {path}: {head.StatusCode}");
            Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task A_missing_site_is_a_404_to_head_too()
    {
        using var client = platform.CreateGatewayClient();

        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/s/never-generated-0000"));

        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }
}
