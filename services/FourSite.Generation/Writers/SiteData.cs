using FourSite.Generation.GitHub;
using FourSite.Generation.Writers.Readme;

namespace FourSite.Generation.Writers;

/// <summary>
/// A generated site's content as the API returns it. Every string is plain text (code samples are text too, shown as
/// code), every URL http(s). The install command, quick start, picture and links come from the README only, never from
/// a writer.
/// </summary>
public sealed record SiteData(
    string Title,
    string Tagline,
    string Description,
    IReadOnlyList<string> Features,
    IReadOnlyList<string> TechStack,
    string Template,
    string ProjectType,
    RepositoryInfo Repo,
    string? InstallCommand = null,
    CodeSample? QuickStart = null,
    ReadmeImage? HeroImage = null,
    SiteLinks? Links = null,
    CallToActionLink? CallToAction = null)
{
    public const int MaxFeatures = 8;
    public const int MaxTechStack = 12;
    public const int MaxQuickStartCharacters = 2_000;

    /// <summary>
    /// Builds the content from a writer's copy and the README's facts, sanitising everything that came from GitHub or the
    /// writer. The name is the README's (FastAPI, bat) whatever a writer wrote.
    /// </summary>
    public static SiteData Compose(SiteCopy copy, ProjectKind kind, RepositorySnapshot repository) =>
        Compose(copy, kind, repository, ReadmeReader.Read(repository));

    public static SiteData Compose(SiteCopy copy, ProjectKind kind, RepositorySnapshot repository, ReadmeFacts facts) => new(
        PlainText.Clean(facts.Name, 80) is { Length: > 0 } name ? name
            : PlainText.Clean(copy.Title, 80) is { Length: > 0 } title ? title : PlainText.Clean(repository.Name, 80),
        PlainText.Clean(PlainText.WithoutEmojiShortcodes(copy.Tagline), 160),
        PlainText.Clean(PlainText.WithoutEmojiShortcodes(copy.Description), 800),
        CleanList(copy.Features, MaxFeatures, 160),
        // The tech stack is the repository's, whatever a writer answered.
        CleanList(RepositoryTechStack.Of(repository), MaxTechStack, 40),
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
            PlainText.SafeUrl(repository.Homepage)),
        PlainText.Clean(facts.InstallCommand, 200) is { Length: > 0 } install ? install : null,
        facts.QuickStart is { } sample && Code(sample.Code) is { Length: > 0 } code
            ? new CodeSample(PlainText.Clean(sample.Language, 20) is { Length: > 0 } codeLanguage ? codeLanguage : null, code)
            : null,
        facts.HeroImage is { } image && PlainText.SafeUrl(image.Url) is { } imageUrl && imageUrl.StartsWith("https://", StringComparison.Ordinal)
            ? new ReadmeImage(imageUrl, PlainText.Clean(image.Alt, 160))
            : null,
        new SiteLinks(PlainText.SafeUrl(repository.Homepage), PlainText.SafeUrl(facts.DocsUrl)));

    /// <summary>A code sample stays as written (it is shown encoded, as code), without control characters, within a size.</summary>
    private static string Code(string code)
    {
        var kept = new string(code.Where(c => c is '\n' or '\t' || !char.IsControl(c)).ToArray()).Trim('\n');
        return kept.Length <= MaxQuickStartCharacters ? kept : kept[..MaxQuickStartCharacters];
    }

    private static List<string> CleanList(IEnumerable<string> items, int maxItems, int maxLength) =>
        items.Select(item => PlainText.Clean(item, maxLength))
            .Where(item => item.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(maxItems)
            .ToList();
}

/// <summary>Where to read more: the project's homepage and its documentation.</summary>
public sealed record SiteLinks(string? Homepage, string? Docs);

/// <summary>The hero's main button, as the owner set it (without one, the page picks it from the project's kind and links).</summary>
public sealed record CallToActionLink(string Label, string Url);

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
