using System.Net;
using System.Text.Json;
using Xunit;

namespace FourSite.Gateway.Tests;

/// <summary>
/// The showcase as a page search engines index without a script, and the landing page's social card: links to each
/// featured site, titles encoded, canonical and og addresses at the address asked for, pages of 24.
/// </summary>
public sealed class ShowcasePageTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static string Entries(int count, string title = "Kite") => JsonSerializer.Serialize(Enumerable.Range(1, count).Select(i => new
    {
        siteId = Guid.NewGuid(), slug = $"kite-{i}", title = i == 1 ? title : $"{title} {i}", viralScore = 40.25 - i, featuredAt = DateTimeOffset.UtcNow, pro = i == 1,
    }));

    [Fact]
    public async Task The_showcase_page_lists_featured_sites_as_links_with_encoded_titles_and_its_own_card()
    {
        await using var viral = await BackendService.StartAsync("viral");
        viral.Showcase = Entries(24, "<script>alert(1)</script> Kite");
        await using var gateway = new GatewayFactory([("viral", viral.Address)], redis.Server.ConnectionString);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/showcase");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<a href=\"/s/kite-1\">&lt;script&gt;alert(1)&lt;/script&gt; Kite</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        Assert.Contains("Viral score 39.3 · Pro", html, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"canonical\" href=\"http://localhost/showcase\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta property=\"og:image\" content=\"http://localhost/cards/showcase.png\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"twitter:card\" content=\"summary_large_image\">", html, StringComparison.Ordinal);
        // A full page of 24 leads on; the second page leads back.
        Assert.Contains("<a rel=\"next\" href=\"/showcase?page=2\">", html, StringComparison.Ordinal);
        viral.Showcase = Entries(3);
        var second = await client.GetStringAsync("/showcase?page=2");
        Assert.Contains("<a rel=\"prev\" href=\"/showcase\">", second, StringComparison.Ordinal);
        Assert.DoesNotContain("rel=\"next\"", second, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"canonical\" href=\"http://localhost/showcase?page=2\">", second, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/showcase?page=0")).StatusCode);
        viral.Showcase = "[]";
        Assert.Contains("No featured sites yet", await client.GetStringAsync("/showcase"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_showcase_the_page_says_so_and_the_landing_page_names_its_card_at_the_address_asked_for()
    {
        await using var gateway = new GatewayFactory([("viral", new Uri("http://127.0.0.1:9"))], redis.Server.ConnectionString);
        using var client = gateway.CreateClient();

        using var unavailable = await client.GetAsync("/showcase");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.Equal("application/problem+json", unavailable.Content.Headers.ContentType?.MediaType);

        var landing = await client.GetStringAsync("/");
        Assert.Contains("<meta property=\"og:image\" content=\"http://localhost/cards/landing.png\">", landing, StringComparison.Ordinal);
        Assert.Contains("<link rel=\"canonical\" href=\"http://localhost/\">", landing, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", landing, StringComparison.Ordinal);
    }
}
