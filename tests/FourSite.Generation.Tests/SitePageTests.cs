using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FourSite.Testing;
using Xunit;

namespace FourSite.Generation.Tests;

/// <summary>
/// A generated page shows what visitors look for first: the install command, a quick start, the project's picture, its
/// numbers as people write them; and it shares as a picture: a social card, canonical address and structured data.
/// </summary>
public sealed class SitePageTests(PlatformServers servers) : IClassFixture<PlatformServers>
{
    private const string Readme = """
        <p align="center"><img src="docs/hero.png" alt="Kite flying over a release"></p>

        # Kite

        [![CI](https://github.com/octo/kite/actions/workflows/ci.yml/badge.svg)](https://github.com/octo/kite/actions)

        Kite ships your releases to every package registry in one command.

        ## Features

        - **One command**: publish to npm, PyPI and NuGet at once. *
        - **Safe**: dry runs show every change first. :rocket:
        - **Fast**: parallel uploads.

        ## Installation

        ```console
        $ pip install kite-release
        ```

        ## Quick start

        ```python
        from kite import release
        release("</code><script>alert(1)</script>")
        ```
        """;

    [Fact]
    public async Task The_page_shows_the_install_command_quick_start_picture_and_numbers_from_the_readme()
    {
        await using var host = await GenerationHost.StartAsync(servers);
        host.GitHub.AddRepository("octo", "kite", readme: Readme, stars: 52_300, languages: new() { ["Python"] = 1000 });

        using var response = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/kite" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var siteData = body.GetProperty("siteData");
        var page = await host.Client.GetStringAsync(body.GetProperty("siteUrl").GetString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Kite", siteData.GetProperty("title").GetString());
        Assert.Equal("pip install kite-release", siteData.GetProperty("installCommand").GetString());
        Assert.Equal("python", siteData.GetProperty("quickStart").GetProperty("language").GetString());
        Assert.Equal("https://raw.githubusercontent.com/octo/kite/HEAD/docs/hero.png", siteData.GetProperty("heroImage").GetProperty("url").GetString());
        Assert.Equal(["One command: publish to npm, PyPI and NuGet at once.", "Safe: dry runs show every change first.", "Fast: parallel uploads."],
            siteData.GetProperty("features").EnumerateArray().Select(feature => feature.GetString()));

        Assert.Contains("""<pre data-testid="install-command" tabindex="0"><code>pip install kite-release</code></pre>""", page);
        Assert.Contains("""<img src="https://raw.githubusercontent.com/octo/kite/HEAD/docs/hero.png" alt="Kite flying over a release" width="960" height="480" """, page);
        Assert.Contains("★ 52k on GitHub", page);
        Assert.Contains("<code class=\"language-python\">from kite import release", page);
        // The example is shown as code, never run as markup.
        Assert.DoesNotContain("<script>alert(1)</script>", page);
        Assert.Contains("&lt;/code&gt;&lt;script&gt;alert(1)&lt;/script&gt;", page);
        Assert.Contains("> AI / ML</label>", page);
    }

    [Fact]
    public async Task The_page_carries_its_card_canonical_address_and_structured_data_all_escaped_and_the_card_is_served_for_a_year()
    {
        await using var host = await GenerationHost.StartAsync(servers, settings: new() { ["FourSite:Sites:PublicUrl"] = "https://4site.example" });
        host.GitHub.AddRepository("octo", "quote", description: "Say \"hi\" </script><script>alert(1)</script> & more",
            readme: "# Quote\n\nQuotes \"everything\" safely.\n\n## Features\n\n- One\n- Two\n- Three\n", languages: new() { ["Go"] = 10 });

        using var response = await host.Client.PostAsJsonAsync("/api/generate", new { repoUrl = "https://github.com/octo/quote" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var slug = body.GetProperty("slug").GetString()!;
        var page = await host.Client.GetStringAsync($"/s/{slug}");

        Assert.Contains($"""<link rel="canonical" href="https://4site.example/s/{slug}">""", page);
        Assert.Contains($"""<meta property="og:url" content="https://4site.example/s/{slug}">""", page);
        Assert.Contains("""<meta name="twitter:card" content="summary_large_image">""", page);
        Assert.Contains("""<meta property="og:image:width" content="1200">""", page);
        Assert.DoesNotContain("{{foursite:", page);
        Assert.DoesNotContain("<script>alert(1)</script>", page);
        var card = global::System.Text.RegularExpressions.Regex.Match(page, "<meta property=\"og:image\" content=\"https://4site.example(/s/" + slug + "/card/[0-9a-f]{16}\\.png)\">");
        Assert.True(card.Success, "og:image names the card");
        var structured = global::System.Text.RegularExpressions.Regex.Match(page, """<script type="application/ld\+json">(.*?)</script>""").Groups[1].Value;
        var data = JsonDocument.Parse(structured).RootElement;
        Assert.Equal("SoftwareSourceCode", data.GetProperty("@type").GetString());
        Assert.Equal("https://github.com/octo/quote", data.GetProperty("codeRepository").GetString());
        Assert.Equal("Go", data.GetProperty("programmingLanguage").GetString());

        using var image = await host.Client.GetAsync(card.Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", image.Headers.CacheControl?.ToString());
        using var decoded = SkiaSharp.SKBitmap.Decode(await image.Content.ReadAsByteArrayAsync());
        Assert.Equal((1200, 630), (decoded.Width, decoded.Height));
        using var noRedirects = host.Service.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var stale = await noRedirects.GetAsync($"/s/{slug}/card/0000000000000000.png");
        Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        Assert.Equal(card.Groups[1].Value, stale.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/s/no-such-site/card/0000000000000000.png")).StatusCode);
    }
}
