using FourSite.Generation.GitHub;
using FourSite.Generation.Writers;
using Xunit;

namespace FourSite.Generation.Tests;

/// <summary>The built-in writer on real READMEs (Fixtures/Readmes) and on edge cases.</summary>
public sealed class TemplateSiteWriterTests
{
    private static RepositorySnapshot Repository(string name, string readme, string? description = null, string[]? topics = null, string? language = "C#") =>
        new("owner", name, description, 120, 8, language, topics ?? [], "MIT", null, readme, language is null ? [] : [language], "\"etag\"", DateTimeOffset.UnixEpoch);

    private static string Fixture(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Readmes", file));

    [Theory]
    [InlineData("dapper.md", "dapper")]
    [InlineData("fluentvalidation.md", "FluentValidation")]
    [InlineData("dbup.md", "DbUp")]
    [InlineData("underscore.md", "underscore")]
    public void Writes_clean_complete_copy_from_real_readmes(string fixture, string name)
    {
        var copy = TemplateSiteWriter.Write(Repository(name, Fixture(fixture)));
        var site = SiteData.Compose(copy, ProjectKind.Project, Repository(name, ""));

        Assert.NotEmpty(site.Title);
        Assert.NotEmpty(site.Tagline);
        Assert.NotEmpty(site.Description);
        Assert.InRange(site.Features.Count, 1, SiteData.MaxFeatures);
        // The language, licence and stars are the stats strip's, never dressed up as features.
        Assert.DoesNotContain(site.Features, feature => feature.StartsWith("Written in", StringComparison.Ordinal)
            || feature.StartsWith("Open source under", StringComparison.Ordinal) || feature.StartsWith("Trusted by", StringComparison.Ordinal));
        Assert.Contains("C#", site.TechStack);
        foreach (var text in new[] { site.Title, site.Tagline, site.Description }.Concat(site.Features))
        {
            Assert.DoesNotContain("](", text);
            Assert.DoesNotContain("**", text);
            Assert.DoesNotContain("`", text);
            Assert.DoesNotContain("<", text);
            Assert.DoesNotContain("\\_", text);
        }

        Assert.DoesNotContain(site.Features, feature => feature.StartsWith("Install", StringComparison.OrdinalIgnoreCase) || feature.StartsWith("Licen", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Takes_the_title_and_first_sentence_from_the_readme()
    {
        var copy = TemplateSiteWriter.Write(Repository("dapper", Fixture("dapper.md")));

        Assert.Equal("Dapper", copy.Title);
        Assert.StartsWith("Dapper is a simple micro-ORM used to simplify working with ADO.NET", copy.Tagline);
    }

    [Fact]
    public void Leaves_ascii_art_out_of_the_copy()
    {
        var copy = TemplateSiteWriter.Write(Repository("underscore", Fixture("underscore.md")));

        Assert.StartsWith("Underscore.js is a utility-belt library for JavaScript", copy.Tagline);
        Assert.DoesNotContain("/\\", copy.Description);
    }

    [Fact]
    public void Prefers_the_repository_description_as_tagline()
    {
        var copy = TemplateSiteWriter.Write(Repository("tool", "# Tool\n\nSome long paragraph about the tool and what it does.", description: "Does one thing well"));

        Assert.Equal("Does one thing well", copy.Tagline);
    }

    [Fact]
    public void Uses_bullets_under_a_features_heading()
    {
        const string readme = "# Kite\n\nKite flies.\n\n## Installation\n\n- npm i kite\n\n## Features\n\n- **Fast** start\n- Tiny [footprint](https://x.example)\n- `Typed` API\n\n## License\n\nMIT";

        var copy = TemplateSiteWriter.Write(Repository("kite", readme));

        Assert.Equal(["Fast start", "Tiny footprint", "Typed API"], copy.Features);
    }

    [Fact]
    public void Without_a_readme_writes_from_metadata()
    {
        var copy = TemplateSiteWriter.Write(Repository("my-cool_repo", "", description: null, topics: ["cli", "productivity"]));

        // The name exactly as GitHub spells it: never re-cased.
        Assert.Equal("my-cool_repo", copy.Title);
        Assert.Equal("An open-source app by owner", copy.Tagline);
        // What the topics say, then the one thing every repository here offers; its language is in the stats strip.
        Assert.Equal(["Built for cli", "Built for productivity", "Open development on GitHub"], copy.Features);
        // The description says more than the tagline.
        Assert.Equal("my-cool_repo is an open-source app by owner, written in C#, under the MIT licence.", copy.Description);
    }

    [Fact]
    public void Capability_sections_after_the_installation_make_the_features_before_any_filler()
    {
        const string readme = "# Kite\n\nKite builds static sites from Markdown in milliseconds, with nothing to configure.\n\n"
            + "## Installation\n\n```\nnpm i -g kite\n```\n\n### macOS\n\nUse Homebrew to install it on a Mac in one command.\n\n"
            + "## The CLI\n\nOne command builds the whole site and prints what changed since the last build.\n\n"
            + "## Plugins\n\nPlugins add pages, feeds and image pipelines without forking the core.\n\n"
            + "## Live reload\n\nThe dev server reloads every open browser tab the moment a file is saved.\n\n"
            + "## Why not Hugo?\n\nBecause Hugo is written in Go and this one is not written in Go at all.\n\n"
            + "## Configuration\n\n```\nkite.config.js\n```\n\n## License\n\nMIT, see the licence file in this repository.\n";

        var copy = TemplateSiteWriter.Write(Repository("kite", readme, topics: ["static-site"]));

        Assert.Equal([
            "The CLI: One command builds the whole site and prints what changed since the last build.",
            "Plugins: Plugins add pages, feeds and image pipelines without forking the core.",
            "Live reload: The dev server reloads every open browser tab the moment a file is saved.",
        ], copy.Features);
    }

    [Fact]
    public void The_projects_own_logo_wins_over_a_foundation_logo_above_it()
    {
        const string readme = "<p align=\"center\"><a href=\"https://foundation.example\"><img src=\"https://foundation.example/member.svg\" alt=\"A Foundation project\"></a></p>\n\n"
            + "<p align=\"center\"><img src=\"docs/assets/kite-logo.png\" alt=\"logo\"></p>\n\n# Kite\n\nKite ships your releases to every registry in one command.\n";
        const string unnamed = "<p><img src=\"https://foundation.example/member.svg\" alt=\"Member\"></p>\n\n<p><img src=\"docs/hero.png\" alt=\"Screenshot\"></p>\n\n# Kite\n\nKite ships releases.\n";

        var facts = Writers.Readme.ReadmeReader.Read(Repository("kite", readme));
        var first = Writers.Readme.ReadmeReader.Read(Repository("kite", unnamed));

        Assert.Equal("https://raw.githubusercontent.com/owner/kite/HEAD/docs/assets/kite-logo.png", facts.HeroImage?.Url);
        Assert.Equal("https://foundation.example/member.svg", first.HeroImage?.Url);
    }

    [Fact]
    public void A_github_alert_block_is_never_the_description()
    {
        const string readme = "# Kite\n\n> [!IMPORTANT]\n> This repository moved to the kite-org organisation; please update your links and bookmarks.\n\n"
            + "> [!NOTE]\n> Sponsor the maintainers to keep the project alive and well for everybody.\n\n"
            + "Kite ships your releases to every package registry in one command.\n\n## Features\n\n- Fast\n- Small\n- Typed\n";

        var copy = TemplateSiteWriter.Write(Repository("kite", readme, description: "Release everywhere"));

        Assert.Equal("Kite ships your releases to every package registry in one command.", copy.Description);
    }

    [Fact]
    public void Emoji_shortcodes_of_the_github_description_go_from_the_tagline()
    {
        var copy = TemplateSiteWriter.Write(Repository("kite", "# Kite\n\nKite ships releases everywhere, in one command, every time.\n",
            description: ":rocket: Blazing fast :zap: releases, at 10:30:00 sharp"));
        var site = SiteData.Compose(copy with { Description = "Now :sparkles: with plugins" }, ProjectKind.Project, Repository("kite", ""));

        Assert.Equal("Blazing fast releases, at 10:30:00 sharp", copy.Tagline);
        Assert.Equal("Now with plugins", site.Description);
    }

    [Fact]
    public void The_description_never_repeats_the_tagline()
    {
        const string readme = "# Kite\n\nShip releases everywhere. Kite publishes to npm, PyPI and NuGet in one command, with dry runs first.\n";

        var repeated = TemplateSiteWriter.Write(Repository("kite", readme, description: "Ship releases everywhere"));
        var only = TemplateSiteWriter.Write(Repository("kite", "# Kite\n\nShip releases everywhere, from one command line tool.\n",
            description: "Ship releases everywhere, from one command line tool."));

        Assert.Equal("Kite publishes to npm, PyPI and NuGet in one command, with dry runs first.", repeated.Description);
        Assert.NotEqual(only.Tagline, only.Description);
        Assert.StartsWith("Kite is an open-source", only.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_input_gives_the_same_copy()
    {
        var repository = Repository("dbup", Fixture("dbup.md"));

        Assert.Equivalent(TemplateSiteWriter.Write(repository), TemplateSiteWriter.Write(repository), strict: true);
    }

    [Theory]
    [InlineData(new[] { "awesome-list" }, "C#", "", "docs", "DocsTemplate")]
    [InlineData(new[] { "sdk" }, "C#", "", "library", "LibraryTemplate")]
    [InlineData(new[] { "cli" }, "Go", "", "app", "AppTemplate")]
    [InlineData(new string[0], "Python", "Run pip install kite to start", "library", "LibraryTemplate")]
    [InlineData(new string[0], null, "", "docs", "DocsTemplate")]
    [InlineData(new string[0], "Rust", "A thing", "project", "TechProjectTemplate")]
    public void Chooses_a_template_by_project_kind(string[] topics, string? language, string readme, string projectType, string template)
    {
        var kind = ProjectKind.Of(Repository("kite", readme, topics: topics, language: language));

        Assert.Equal(projectType, kind.ProjectType);
        Assert.Equal(template, kind.Template);
    }
}
