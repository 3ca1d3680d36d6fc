using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FourSite.Testing;
using Xunit;

namespace FourSite.Generation.Tests;

/// <summary>A generated page shows what visitors look for first: the install command, a quick start, the project's picture, its numbers as people write them.</summary>
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
}
