namespace FourSite.Contracts.Generation;

/// <summary>Event: a generation job ended without a site. <see cref="Code"/> is stable (<c>repo_not_found</c>, <c>github_unavailable</c>, ...).</summary>
public sealed record GenerationFailed(Guid JobId, string RepoOwner, string RepoName, string Code, string Reason, DateTimeOffset FailedAt);
