namespace FourSite.Contracts.Generation;

/// <summary>Event: a worker picked up a generation job.</summary>
public sealed record GenerationStarted(Guid JobId, string RepoOwner, string RepoName, DateTimeOffset StartedAt);
