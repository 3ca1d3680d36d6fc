namespace FourSite.Generation.GitHub;

/// <summary>Everything a site is written from, as fetched from GitHub at <see cref="FetchedAt"/> (text not yet sanitised).</summary>
public sealed record RepositorySnapshot(
    string Owner,
    string Name,
    string? Description,
    int Stars,
    int Forks,
    string? Language,
    IReadOnlyList<string> Topics,
    string? License,
    string? Homepage,
    string Readme,
    IReadOnlyList<string> Languages,
    string? ETag,
    DateTimeOffset FetchedAt);
