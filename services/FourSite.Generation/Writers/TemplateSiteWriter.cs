using System.Globalization;
using System.Text.RegularExpressions;
using FourSite.Generation.GitHub;

namespace FourSite.Generation.Writers;

/// <summary>
/// The built-in, deterministic writer (model <c>template</c>): a site from the repository's metadata and README alone,
/// the same input always giving the same copy.
/// </summary>
public sealed partial class TemplateSiteWriter : ISiteWriter
{
    public const string ModelName = "template";
    private const int WantedFeatures = 6;
    private const int MinFeatures = 3;

    private static readonly string[] FeatureHeadings = ["feature", "highlight", "why", "what it does", "capabilities", "benefits"];
    private static readonly string[] Boilerplate =
    [
        "install", "usage", "license", "licence", "contribut", "table of contents", "contents", "getting started", "requirement",
        "prerequisite", "build", "test", "credit", "acknowledg", "support", "changelog", "faq", "author", "maintainer", "sponsor",
        "donate", "contact", "roadmap", "development", "setup", "configuration", "example", "documentation", "references", "citation",
    ];

    public string Model => ModelName;

    public Task<SiteCopy> WriteAsync(RepositorySnapshot repository, CancellationToken cancellationToken) =>
        Task.FromResult(Write(repository));

    public static SiteCopy Write(RepositorySnapshot repository)
    {
        var outline = ReadmeOutline.Parse(repository.Readme);
        var kind = ProjectKind.Of(repository);
        var title = outline.Title is { Length: > 0 and <= 60 } heading && !heading.Contains("http", StringComparison.OrdinalIgnoreCase)
            ? heading
            : Humanise(repository.Name);

        var firstParagraph = outline.Paragraphs.FirstOrDefault(paragraph => paragraph.Length >= 20);
        var tagline = repository.Description is { Length: > 0 } description
            ? description
            : FirstSentence(firstParagraph) ?? $"An open-source {Noun(kind)} by {repository.Owner}";

        var body = outline.Paragraphs.Where(paragraph => paragraph.Length >= 20 && paragraph != tagline).Take(2);
        var descriptionText = string.Join(' ', body) is { Length: > 0 } joined ? joined : tagline;

        return new SiteCopy(title, tagline, descriptionText, Features(outline, repository), TechStack(repository));
    }

    private static List<string> Features(ReadmeOutline outline, RepositorySnapshot repository)
    {
        var featureSection = outline.Sections.FirstOrDefault(section =>
            section.Bullets.Count > 0 && FeatureHeadings.Any(word => section.Heading.Contains(word, StringComparison.OrdinalIgnoreCase)));

        IEnumerable<string> candidates = featureSection?.Bullets
            ?? outline.Sections.Where(section => !IsBoilerplate(section.Heading)).SelectMany(section => section.Bullets)
                .Concat(outline.Sections.Where(section => section.Heading.Length > 0 && !IsBoilerplate(section.Heading)).Select(section => section.Heading));

        var features = candidates
            .Select(feature => feature.TrimEnd('.', ':', ';'))
            .Where(feature => feature.Length is >= 3 and <= 160 && !feature.Contains("http", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(WantedFeatures)
            .ToList();

        // Too little in the README: say what the metadata proves.
        foreach (var fact in Facts(repository))
        {
            if (features.Count >= MinFeatures)
            {
                break;
            }

            features.Add(fact);
        }

        return features;
    }

    private static IEnumerable<string> Facts(RepositorySnapshot repository)
    {
        if (repository.Language is { Length: > 0 } language)
        {
            yield return $"Written in {language}";
        }

        if (repository.License is { Length: > 0 } license)
        {
            yield return $"Open source under the {license} licence";
        }

        if (repository.Stars > 0)
        {
            yield return $"Trusted by {repository.Stars.ToString("N0", CultureInfo.InvariantCulture)} stargazers on GitHub";
        }

        foreach (var topic in repository.Topics.Take(3))
        {
            yield return $"Built for {topic.Replace('-', ' ')}";
        }

        yield return "Open development on GitHub";
    }

    private static List<string> TechStack(RepositorySnapshot repository) =>
        repository.Languages.Take(5)
            .Concat(repository.Language is { } language ? [language] : [])
            .Concat(repository.Topics)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(SiteData.MaxTechStack)
            .ToList();

    private static string Noun(ProjectKind kind) => kind.ProjectType switch
    {
        "docs" => "guide",
        var type => type,
    };

    private static bool IsBoilerplate(string heading) =>
        Boilerplate.Any(word => heading.Contains(word, StringComparison.OrdinalIgnoreCase));

    private static string? FirstSentence(string? paragraph)
    {
        if (paragraph is null)
        {
            return null;
        }

        var end = SentenceEnd().Match(paragraph);
        return end.Success ? paragraph[..(end.Index + 1)] : paragraph;
    }

    /// <summary>"my-cool_repo" → "My Cool Repo"; "fastAPI" keeps its own capitals.</summary>
    private static string Humanise(string name)
    {
        var words = name.Split(['-', '_', '.', ' '], StringSplitOptions.RemoveEmptyEntries);
        return string.Join(' ', words.Select(word => char.ToUpperInvariant(word[0]) + word[1..]));
    }

    [GeneratedRegex(@"[.!?](\s|$)")]
    private static partial Regex SentenceEnd();
}
