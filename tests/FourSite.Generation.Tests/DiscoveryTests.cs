using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Dapper;
using FourSite.Testing;
using Npgsql;
using Xunit;

namespace FourSite.Generation.Tests;

/// <summary>Search engines find every live site at its canonical address (an index of pages once there are many) and the showcase, and are kept off the APIs; the platform pages have cards of their own.</summary>
public sealed class DiscoveryTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    private static readonly XNamespace Sitemaps = "http://www.sitemaps.org/schemas/sitemap/0.9";

    [Fact]
    public async Task The_sitemap_lists_live_sites_at_their_canonical_address_in_pages_and_robots_points_at_it()
    {
        await using var host = await GenerationHost.StartAsync(servers, settings: new()
        {
            ["FourSite:Sites:PublicUrl"] = "https://4site.example",
            // Three URLs a page, so four live entries (the landing page, the showcase and two sites) make an index of two pages.
            ["FourSite:Sites:SitemapPageSize"] = "3",
        });
        var slugs = new List<string>();
        foreach (var name in new[] { "alpha", "beta", "gamma" })
        {
            host.GitHub.AddRepository("octo", name);
            using var generated = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = $"https://github.com/octo/{name}" });
            slugs.Add((await generated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetString()!);
        }

        await using (var connection = new NpgsqlConnection(host.Service.DatabaseConnectionString))
        {
            await connection.ExecuteAsync("UPDATE websites SET suspension = 'abuse', suspension_reason = 'spam', suspended_at = now() WHERE slug = @slug", new { slug = slugs[2] });
        }

        var index = XDocument.Parse(await host.Client.GetStringAsync("/sitemap.xml"));
        var first = XDocument.Parse(await host.Client.GetStringAsync("/sitemaps/1.xml"));
        var second = XDocument.Parse(await host.Client.GetStringAsync("/sitemaps/2.xml"));
        var robots = await host.Client.GetStringAsync("/robots.txt");

        Assert.Equal(["https://4site.example/sitemaps/1.xml", "https://4site.example/sitemaps/2.xml"], index.Descendants(Sitemaps + "loc").Select(loc => loc.Value));
        Assert.Equal(["https://4site.example/", "https://4site.example/showcase", $"https://4site.example/s/{slugs[0]}"], first.Descendants(Sitemaps + "loc").Select(loc => loc.Value));
        Assert.Equal([$"https://4site.example/s/{slugs[1]}"], second.Descendants(Sitemaps + "loc").Select(loc => loc.Value));
        Assert.All(first.Descendants(Sitemaps + "url").Skip(2), url => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", url.Element(Sitemaps + "lastmod")!.Value));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/sitemaps/3.xml")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/sitemaps/..%2F1.xml")).StatusCode);
        Assert.Contains("Sitemap: https://4site.example/sitemap.xml", robots, StringComparison.Ordinal);
        Assert.Contains("Disallow: /api/", robots, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_small_platform_has_one_sitemap_with_the_landing_page_and_the_showcase_first()
    {
        await using var host = await GenerationHost.StartAsync(servers);
        host.GitHub.AddRepository("octo", "solo");
        using var generated = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/solo" });
        var slug = (await generated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("slug").GetString()!;

        using var response = await host.Client.GetAsync("/sitemap.xml");
        var sitemap = XDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urlset", sitemap.Root!.Name.LocalName);
        Assert.Equal(["http://localhost:8080/", "http://localhost:8080/showcase", $"http://localhost:8080/s/{slug}"], sitemap.Descendants(Sitemaps + "loc").Select(loc => loc.Value));
    }

    [Fact]
    public async Task The_landing_page_and_the_showcase_have_cards_of_their_own()
    {
        await using var host = await GenerationHost.StartAsync(servers);
        foreach (var page in new[] { "landing", "showcase" })
        {
            using var response = await host.Client.GetAsync($"/cards/{page}.png");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
            using var card = SkiaSharp.SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal((1200, 630), (card.Width, card.Height));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/cards/admin.png")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/cards/landing.svg")).StatusCode);
    }
}
