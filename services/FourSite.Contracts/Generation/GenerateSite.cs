namespace FourSite.Contracts.Generation;

/// <summary>Command: write and publish a site for a recorded generation job.</summary>
public sealed record GenerateSite(Guid JobId, string RepoOwner, string RepoName, DateTimeOffset RequestedAt);
