using FourSite.Generation.GitHub;

namespace FourSite.Generation.Writers;

/// <summary>What kind of project a repository is, and the page template that suits it.</summary>
public sealed record ProjectKind(string ProjectType, string Template)
{
    public static readonly ProjectKind Project = new("project", "TechProjectTemplate");
    public static readonly ProjectKind Library = new("library", "LibraryTemplate");
    public static readonly ProjectKind App = new("app", "AppTemplate");
    public static readonly ProjectKind Docs = new("docs", "DocsTemplate");

    private static readonly string[] DocsTopics = ["documentation", "docs", "dataset", "datasets", "data", "awesome", "awesome-list", "tutorial", "tutorials", "book", "guide", "course", "notes", "cheatsheet"];
    private static readonly string[] LibraryTopics = ["library", "lib", "sdk", "framework", "package", "npm-package", "crate", "module", "api-client", "client-library", "nuget", "pypi"];
    private static readonly string[] AppTopics = ["cli", "app", "application", "tool", "tools", "desktop", "mobile", "bot", "extension", "webapp", "web-app", "game", "self-hosted", "command-line"];
    private static readonly string[] InstallCommands = ["npm install ", "npm i ", "yarn add ", "pnpm add ", "pip install ", "cargo add ", "dotnet add package", "go get ", "gem install ", "composer require "];
    private static readonly string[] DocsLanguages = ["Jupyter Notebook", "TeX", "Markdown", "MDX"];

    /// <summary>Classifies by topics first (the owner's own words), then by the README and the main language.</summary>
    public static ProjectKind Of(RepositorySnapshot repository)
    {
        var topics = repository.Topics.Select(topic => topic.ToLowerInvariant()).ToHashSet();
        if (topics.Overlaps(DocsTopics) || repository.Name.StartsWith("awesome", StringComparison.OrdinalIgnoreCase))
        {
            return Docs;
        }

        if (topics.Overlaps(LibraryTopics))
        {
            return Library;
        }

        if (topics.Overlaps(AppTopics))
        {
            return App;
        }

        if (InstallCommands.Any(command => repository.Readme.Contains(command, StringComparison.OrdinalIgnoreCase)))
        {
            return Library;
        }

        if (repository.Language is null || DocsLanguages.Contains(repository.Language))
        {
            return Docs;
        }

        return Project;
    }
}
