namespace FourSite.Generation.Data;

/// <summary>A row of <c>generation_jobs</c>.</summary>
public sealed record GenerationJob(
    Guid Id,
    string RepoUrl,
    string RepoOwner,
    string RepoName,
    Guid OwnerId,
    string OwnerTokenHash,
    string Status,
    string Stage,
    int Progress,
    Guid? SiteId,
    string? ErrorCode,
    string? Error,
    DateTime CreatedAt,
    Guid? AccountId = null);
