namespace FourSite.Generation.GitHub;

/// <summary>The fields of GitHub's repository resource that a site is written from.</summary>
public sealed record GitHubRepository(
    string Name,
    string? Description,
    int StargazersCount,
    int ForksCount,
    string? Language,
    string[]? Topics,
    GitHubLicense? License,
    string? Homepage,
    GitHubAccount Owner,
    bool Private = false,
    DateTimeOffset? CreatedAt = null);

public sealed record GitHubLicense(string? SpdxId, string? Name);

public sealed record GitHubAccount(string Login);
