namespace FourSite.Generation.Pipeline;

/// <summary>The stable codes a failed job carries (and the problem types the API answers with).</summary>
public static class GenerationErrors
{
    public const string RepositoryNotFound = "repo_not_found";
    public const string GitHubUnavailable = "github_unavailable";
    public const string GenerationFailed = "generation_failed";
    public const string SiteRemoved = "site_removed";
    public const string Blocked = "blocked";
    public const string QuotaExceeded = "quota_exceeded";

    public const string SiteRemovedReason = "The site was removed before it could be regenerated.";

    public const string GitHubUnavailableReason = "GitHub is unavailable or rate-limited; please try again shortly.";
}
