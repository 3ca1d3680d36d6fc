namespace FourSite.Generation.GitHub;

/// <summary>GitHub says the repository does not exist (or is private to us): the job fails as <c>repo_not_found</c>.</summary>
public sealed class RepositoryNotFoundException(RepositoryName repository)
    : Exception($"Repository {repository} was not found on GitHub.");

/// <summary>GitHub could not be reached or refused us (outage, rate limit): transient, retried, then <c>github_unavailable</c>.</summary>
public sealed class GitHubUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
