namespace FourSite.Generation.Pipeline;

/// <summary>A row of <c>generation_jobs</c>: a new site, or (with <see cref="RegeneratesSiteId"/>) an existing one written again.</summary>
public sealed record GenerationJob(
    Guid Id,
    string RepoUrl,
    string RepoOwner,
    string RepoName,
    Guid OwnerId,
    string? OwnerTokenHash,
    string Status,
    string Stage,
    int Progress,
    Guid? SiteId,
    string? ErrorCode,
    string? Error,
    DateTime CreatedAt,
    Guid? AccountId = null,
    Guid? RegeneratesSiteId = null,
    string? Reason = null,
    string? Release = null);
