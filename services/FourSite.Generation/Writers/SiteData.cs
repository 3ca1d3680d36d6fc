using FourSite.Generation.GitHub;

namespace FourSite.Generation.Writers;

/// <summary>A generated site's content as the API returns it. Every string is plain text, every URL http(s).</summary>
public sealed record SiteData(
    string Title,
    string Tagline,
    string Description,
    IReadOnlyList<string> Features,
    IReadOnlyList<string> TechStack,
    string Template,
    string ProjectType,
    RepositoryInfo Repo)
{
    public const int MaxFeatures = 8;
    public const int MaxTechStack = 12;

    /// <summary>Builds the content from a writer's copy, sanitising everything that came from GitHub or the writer.</summary>
    public static SiteData Compose(SiteCopy copy, ProjectKind kind, RepositorySnapshot repository) => new(
        PlainText.Clean(copy.Title, 80) is { Length: > 0 } title ? title : PlainText.Clean(repository.Name, 80),
        PlainText.Clean(copy.Tagline, 160),
        PlainText.Clean(copy.Description, 800),
        CleanList(copy.Features, MaxFeatures, 160),
        CleanList(copy.TechStack, MaxTechStack, 40),
        kind.Template,
        kind.ProjectType,
        new RepositoryInfo(
            repository.Owner,
            repository.Name,
            repository.Stars,
            repository.Forks,
            PlainText.Clean(repository.Language, 40) is { Length: > 0 } language ? language : null,
            CleanList(repository.Topics, 20, 50),
            PlainText.Clean(repository.License, 60) is { Length: > 0 } license ? license : null,
            PlainText.SafeUrl(repository.Homepage)));

    private static List<string> CleanList(IEnumerable<string> items, int maxItems, int maxLength) =>
        items.Select(item => PlainText.Clean(item, maxLength))
            .Where(item => item.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(maxItems)
            .ToList();
}

/// <summary>The repository a site was generated from.</summary>
public sealed record RepositoryInfo(
    string Owner,
    string Name,
    int Stars,
    int Forks,
    string? Language,
    IReadOnlyList<string> Topics,
    string? License,
    string? Homepage);
