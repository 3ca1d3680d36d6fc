using Refit;

namespace FourSite.Generation.GitHub;

/// <summary>GitHub's REST API, at the configured base address only. ETags make repeat fetches cheap conditional requests.</summary>
public interface IGitHubClient
{
    [Get("/repos/{owner}/{repo}")]
    Task<IApiResponse<GitHubRepository>> GetRepositoryAsync(string owner, string repo, [Header("If-None-Match")] string? etag, CancellationToken cancellationToken);

    [Get("/repos/{owner}/{repo}/readme")]
    [Headers("Accept: application/vnd.github.raw+json")]
    Task<IApiResponse<string>> GetReadmeAsync(string owner, string repo, CancellationToken cancellationToken);

    [Get("/repos/{owner}/{repo}/languages")]
    Task<IApiResponse<Dictionary<string, long>>> GetLanguagesAsync(string owner, string repo, CancellationToken cancellationToken);
}
