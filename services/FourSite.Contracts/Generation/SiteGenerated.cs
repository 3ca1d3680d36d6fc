namespace FourSite.Contracts.Generation;

/// <summary>
/// Event: a new site is live. <see cref="OwnerTokenHash"/> (SHA-256, lower-case hex) lets other services check owner calls
/// without ever seeing the token; <see cref="AccountId"/> is the signed-in account it was generated for (null when anonymous).
/// </summary>
public sealed record SiteGenerated(
    Guid JobId,
    Guid SiteId,
    string Slug,
    string Title,
    string RepoOwner,
    string RepoName,
    string ProjectType,
    string Template,
    Guid OwnerId,
    string OwnerTokenHash,
    string Model,
    bool FallbackUsed,
    double GenerationTimeMs,
    DateTimeOffset CreatedAt,
    Guid? AccountId = null);
