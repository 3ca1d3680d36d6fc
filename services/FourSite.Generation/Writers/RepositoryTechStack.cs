using FourSite.Generation.GitHub;

namespace FourSite.Generation.Writers;

/// <summary>A site's tech stack is a fact of its repository: GitHub's languages (the main one too) and topics, whoever writes the prose.</summary>
public static class RepositoryTechStack
{
    public static List<string> Of(RepositorySnapshot repository) =>
        repository.Languages.Take(5)
            .Concat(repository.Language is { } language ? [language] : [])
            .Concat(repository.Topics)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(SiteData.MaxTechStack)
            .ToList();
}
