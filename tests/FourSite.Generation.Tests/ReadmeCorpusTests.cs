using FourSite.Generation.GitHub;
using FourSite.Generation.Writers.Readme;
using Xunit;

namespace FourSite.Generation.Tests;

/// <summary>
/// The README reader on real READMEs (Fixtures/Readmes/corpus, sources and licences in its NOTICE.md): each yields its
/// own name, a real description, real features, its install command, its first example and its picture where it has them.
/// </summary>
public sealed class ReadmeCorpusTests
{
    /// <summary>What one README must yield; null where the README does not say.</summary>
    public sealed record Expected(
        string File,
        string Owner,
        string Repository,
        string? Language,
        string Name,
        string? DescriptionStart,
        string? AFeature,
        string? InstallCommand,
        string? QuickStartContains,
        string? HeroImage)
    {
        public override string ToString() => File;
    }

    public static TheoryData<Expected> Corpus =>
    [
        new("tiangolo-fastapi.md", "tiangolo", "fastapi", "Python", "FastAPI",
            "FastAPI is a modern, fast (high-performance), web framework for building APIs with Python",
            "Fast: Very high performance, on par with NodeJS and Go (thanks to Starlette and Pydantic).",
            "pip install fastapi", "from fastapi import FastAPI", "https://fastapi.tiangolo.com/img/logo-margin/logo-teal.png"),
        new("sharkdp-bat.md", "sharkdp", "bat", "Rust", "bat", "A cat(1) clone with syntax highlighting and Git integration.",
            "Syntax highlighting: bat supports syntax highlighting for a large number of programming and markup languages",
            "cargo install --locked bat", "bat README.md", "https://raw.githubusercontent.com/sharkdp/bat/HEAD/doc/logo-header.svg"),
        new("burntsushi-ripgrep.md", "BurntSushi", "ripgrep", "Rust", "ripgrep", "ripgrep is a line-oriented search tool that recursively searches",
            "ripgrep can search specific types of files.", "cargo install ripgrep", null, "https://burntsushi.net/stuff/ripgrep1.png"),
        new("chalk-chalk.md", "chalk", "chalk", "JavaScript", "Chalk", "colors.js used to be the most popular string styling module", "Doesn't extend String.prototype",
            "npm install --save chalk", "console.log(chalk.blue('Hello world!'));", "https://cdn.rawgit.com/chalk/chalk/19935d6484811c5e468817f846b7b3d417d7bf4a/logo.svg"),
        new("expressjs-express.md", "expressjs", "express", "JavaScript", "express", "Fast, unopinionated, minimalist web framework for node.",
            "Robust routing", "npm install -g express", "express /tmp/foo", null),
        new("nestjs-nest.md", "nestjs", "nest", "TypeScript", "Nest", "A progressive Node.js framework for building efficient and scalable server-side applications",
            null, null, null, "https://nestjs.com/img/logo-small.svg"),
        new("ant-design-ant-design.md", "ant-design", "ant-design", "TypeScript", "Ant Design", "一套企业级 UI 设计语言和 React 组件库。",
            "📦 开箱即用的高质量 React 组件。", "npm install antd --save", "import { Button, DatePicker } from 'antd';",
            "https://gw.alipayobjects.com/zos/rmsportal/KDpgvguMpGfqaHPjicRK.svg"),
        new("fmtlib-fmt.md", "fmtlib", "fmt", "C++", "{fmt}", "{fmt} is an open-source formatting library providing a fast and safe alternative",
            "Simple format API with positional arguments for localization", null, "fmt::print(\"Hello, world!\\n\");",
            "https://user-images.githubusercontent.com/576385/156254208-f5b743a9-88cf-439d-b0c0-923d53e8d551.png"),
        new("gin-gonic-gin.md", "gin-gonic", "gin", "Go", "gin", "Gin is a web framework written in Golang.", null,
            "go get github.com/gin-gonic/gin", "import \"github.com/gin-gonic/gin\"", null),
        new("junegunn-fzf.md", "junegunn", "fzf", "Go", "fzf", "fzf is a general-purpose command-line fuzzy finder.", "Portable, no dependencies",
            "brew install fzf", "fzf", "https://raw.githubusercontent.com/junegunn/i/master/fzf.png"),
        new("google-gson.md", "google", "gson", "Java", "Gson", "Gson is a Java library that can be used to convert Java Objects into their JSON representation.",
            "Extensive support of Java Generics", null, null, null),
        new("jamesnk-newtonsoft.json.md", "JamesNK", "Newtonsoft.Json", "C#", "Json.NET", null, null, null, null,
            "https://raw.githubusercontent.com/JamesNK/Newtonsoft.Json/HEAD/Doc/icons/logo.jpg"),
        new("automapper-automapper.md", "AutoMapper", "AutoMapper", "C#", "AutoMapper", "AutoMapper is a simple little library built to solve a deceptively complex problem",
            null, "Install-Package AutoMapper", null, null),
        new("pallets-flask.md", "pallets", "flask", "Python", "Flask", "Flask is a lightweight WSGI web application framework.", null,
            "pip install -U Flask", "from flask import Flask", null),
        new("psf-requests.md", "psf", "requests", "Python", "Requests", "Requests is the one and only HTTP library for Python that is safe for human consumption.",
            "Keep-Alive & Connection Pooling", null, "import requests", "https://farm5.staticflickr.com/4317/35198386374_1939af3de6_k_d.jpg"),
        new("pandas-dev-pandas.md", "pandas-dev", "pandas", "Python", "pandas", "pandas is a Python package providing fast, flexible, and expressive data structures",
            null, "pip install pandas", null, "https://raw.githubusercontent.com/pandas-dev/pandas/master/doc/logo/pandas_logo.png"),
        new("jesseduffield-lazygit.md", "jesseduffield", "lazygit", "Go", "lazygit", "Rant time: You've heard it before, git is powerful",
            "Cherry-pick: Press c on a commit to copy it and press v to paste (cherry-pick) it.", "go install github.com/jesseduffield/lazygit@latest", "$ lazygit",
            "https://user-images.githubusercontent.com/8456633/174470852-339b5011-5800-4bb9-a628-ff230aa8cd4e.png"),
        new("excalidraw-excalidraw.md", "excalidraw", "excalidraw", "TypeScript", "Excalidraw", "Virtual whiteboard for sketching hand-drawn like diagrams.", null,
            "docker run --rm -dit --name excalidraw -p 5000:80 excalidraw/excalidraw:latest", null,
            "https://raw.githubusercontent.com/excalidraw/excalidraw/HEAD/public/og-image-sm.png"),
        // No features list: its sections after the installation and usage say what it does.
        new("remy-nodemon.md", "remy", "nodemon", "JavaScript", "nodemon", "For use during development of a node.js based application.",
            "Delaying restarting: In some situations, you may want to wait until a number of files have changed.", "npm install nodemon -g",
            "nodemon [your node app]", null),
        // A GitHub alert block under the description is never the description.
        new("wolframinstitute-gaplink.md", "WolframInstitute", "GAPLink", "Mathematica", "GAPLink",
            "GAPLink is a Wolfram Language paclet for low-level interoperability with GAP",
            "Design boundary: GAPLink will own sessions, value conversion, foreign-object lifetime, and transport errors.", null, null, null),
        new("missing.md", "octo", "no-readme", "Go", "no-readme", null, null, null, null, null),
    ];

    private static ReadmeFacts Read(Expected expected) =>
        ReadmeReader.Read(new RepositorySnapshot(expected.Owner, expected.Repository, null, 100, 10, expected.Language, [], "MIT", null,
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Readmes", "corpus", expected.File)), [], null, DateTimeOffset.UnixEpoch));

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Reads_each_readme_faithfully(Expected expected)
    {
        var facts = Read(expected);

        Assert.Equal(expected.Name, facts.Name);
        if (expected.DescriptionStart is null)
        {
            Assert.Null(facts.Description);
        }
        else
        {
            Assert.StartsWith(expected.DescriptionStart, facts.Description);
        }

        if (expected.AFeature is not null)
        {
            Assert.Contains(expected.AFeature, facts.Features);
        }

        Assert.Equal(expected.InstallCommand, facts.InstallCommand);
        if (expected.QuickStartContains is null)
        {
            Assert.Null(facts.QuickStart);
        }
        else
        {
            Assert.Contains(expected.QuickStartContains, facts.QuickStart!.Code);
        }

        Assert.Equal(expected.HeroImage, facts.HeroImage?.Url);
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Features_are_short_plain_statements_never_usage_or_installation(Expected expected)
    {
        var facts = Read(expected);

        Assert.InRange(facts.Features.Count, 0, ReadmeReader.MaxFeatures);
        foreach (var feature in facts.Features)
        {
            Assert.DoesNotMatch(@"\]\(|\*\*|`|<|:[a-z_]+:|\s\*$", feature);
            Assert.DoesNotMatch(@"(?i)^(how to use|install|usage|on ubuntu|license|contributing|sponsors)", feature);
        }
    }

    [Fact]
    public void A_repository_without_a_readme_has_no_facts_but_its_name()
    {
        var facts = ReadmeReader.Read(new RepositorySnapshot("octo", "Quiet-Repo", null, 0, 0, null, [], null, null, "", [], null, DateTimeOffset.UnixEpoch));

        Assert.Null(facts.Description);
        Assert.Empty(facts.Features);
        Assert.Null(facts.InstallCommand);
        Assert.Null(facts.QuickStart);
        Assert.Null(facts.HeroImage);
    }

    [Theory]
    [InlineData("http://example.com/logo.png", null)]
    [InlineData("javascript:alert(1)", null)]
    [InlineData("//evil.example/x.png", null)]
    [InlineData("docs/logo.png", "https://raw.githubusercontent.com/octo/kite/HEAD/docs/logo.png")]
    [InlineData("./assets/hero.svg", "https://raw.githubusercontent.com/octo/kite/HEAD/assets/hero.svg")]
    [InlineData("https://github.com/octo/kite/blob/main/shot.png", "https://raw.githubusercontent.com/octo/kite/main/shot.png")]
    public void A_picture_is_https_with_repository_paths_resolved(string url, string? expected)
    {
        var repository = new RepositorySnapshot("octo", "kite", null, 0, 0, null, [], null, null, "", [], null, DateTimeOffset.UnixEpoch);

        Assert.Equal(expected, ReadmeReader.Resolve(url, repository));
    }

    [Theory]
    [InlineData("$ pip install fastapi", "pip install fastapi")]
    [InlineData("npm i kite", "npm i kite")]
    [InlineData("sudo apt install bat", "sudo apt install bat")]
    [InlineData("dotnet add package Polly", "dotnet add package Polly")]
    [InlineData("cargo install --locked bat", "cargo install --locked bat")]
    [InlineData("go install github.com/junegunn/fzf@latest", "go install github.com/junegunn/fzf@latest")]
    [InlineData("pip list", null)]
    [InlineData("npm test", null)]
    public void Install_commands_are_recognised_as_written(string line, string? command)
    {
        Assert.Equal(command, InstallCommands.Recognise(line)?.Command);
    }
}
