using System.Text.RegularExpressions;
using FourSite.Generation.GitHub;
using FourSite.Generation.Writers.Readme;

namespace FourSite.Generation.Writers;

/// <summary>
/// The built-in, deterministic writer (model <c>template</c>): a site from the repository's metadata and the facts its
/// README states (<see cref="ReadmeReader"/>), the same input always giving the same copy.
/// </summary>
public static partial class TemplateSiteWriter
{
    public const string ModelName = "template";
    private const int WantedFeatures = 6;
    private const int MinFeatures = 3;

    public static SiteCopy Write(RepositorySnapshot repository) => Write(repository, ReadmeReader.Read(repository));

    public static SiteCopy Write(RepositorySnapshot repository, ReadmeFacts facts)
    {
        var kind = ProjectKind.Of(repository);
        var title = facts.Name ?? repository.Name;
        var tagline = PlainText.WithoutEmojiShortcodes(repository.Description) is { Length: > 0 } description
            ? description
            : facts.Headline ?? FirstSentence(facts.Description) ?? $"An open-source {Noun(kind)} by {repository.Owner}";
        return new SiteCopy(title, tagline, Description(title, tagline, kind, facts, repository), Features(facts, repository), RepositoryTechStack.Of(repository));
    }

    /// <summary>
    /// More than the tagline, never the same sentence again: the README's description without a first sentence the
    /// tagline already says, else what the repository's facts say about the project.
    /// </summary>
    private static string Description(string title, string tagline, ProjectKind kind, ReadmeFacts facts, RepositorySnapshot repository)
    {
        var description = facts.Description ?? "";
        if (Same(FirstSentence(description), tagline))
        {
            description = description[FirstSentence(description)!.Length..].Trim();
        }

        if (description.Length > 0 && !Same(description, tagline))
        {
            return description;
        }

        var said = new List<string> { $"{title} is an open-source {Noun(kind)} by {repository.Owner}" };
        if (repository.Language is { Length: > 0 } language)
        {
            said.Add($"written in {language}");
        }

        if (repository.License is { Length: > 0 } license)
        {
            said.Add($"under the {license} licence");
        }

        return string.Join(", ", said) + ".";
    }

    private static bool Same(string? first, string second) =>
        first is not null && string.Equals(Comparable(first), Comparable(second), StringComparison.OrdinalIgnoreCase);

    private static string Comparable(string text) => new(text.Where(char.IsLetterOrDigit).ToArray());

    /// <summary>
    /// The README's features; when it names too few, what the repository's topics say is added. Its language, licence
    /// and stars are shown in the page's stats strip, not dressed up as features.
    /// </summary>
    private static List<string> Features(ReadmeFacts facts, RepositorySnapshot repository)
    {
        var features = facts.Features.Take(WantedFeatures).ToList();
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
        foreach (var topic in repository.Topics.Take(3))
        {
            yield return $"Built for {topic.Replace('-', ' ')}";
        }

        yield return "Open development on GitHub";
    }

    private static string Noun(ProjectKind kind) => kind.ProjectType switch
    {
        "docs" => "guide",
        var type => type,
    };

    private static string? FirstSentence(string? paragraph)
    {
        if (paragraph is null)
        {
            return null;
        }

        var end = SentenceEnd().Match(paragraph);
        return end.Success ? paragraph[..(end.Index + 1)] : paragraph;
    }

    [GeneratedRegex(@"[.!?](\s|$)")]
    private static partial Regex SentenceEnd();
}
