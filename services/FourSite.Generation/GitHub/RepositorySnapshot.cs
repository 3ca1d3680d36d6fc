namespace FourSite.Generation.GitHub;

/// <summary>
/// Everything a site is written from, as fetched from GitHub at <see cref="FetchedAt"/> (text not yet sanitised).
/// <see cref="CreatedAt"/> is when the repository was made (unknown in snapshots cached before it was read).
/// </summary>
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
    DateTimeOffset FetchedAt,
    DateTimeOffset? CreatedAt = null);
