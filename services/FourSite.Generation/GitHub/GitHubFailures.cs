using Polly.CircuitBreaker;

namespace FourSite.Generation.GitHub;

/// <summary>GitHub says the repository does not exist (or is private to us): the job fails as <c>repo_not_found</c>.</summary>
public sealed class RepositoryNotFoundException(RepositoryName repository)
    : Exception($"Repository {repository} was not found on GitHub.");

/// <summary>
/// GitHub could not be reached or refused us (outage, rate limit): transient, retried, then <c>github_unavailable</c>.
/// When no connection could be made at all (<see cref="Unreachable"/>), retrying for minutes only keeps the user waiting:
/// the job fails at once.
/// </summary>
public sealed class GitHubUnavailableException(string message, Exception? inner = null) : Exception(message, inner)
{
    public bool Unreachable { get; } = inner is not null && GitHubReachability.IsUnreachable(inner);
}

/// <summary>Failures that mean GitHub's address cannot be reached at all, as opposed to GitHub answering badly.</summary>
public static class GitHubReachability
{
    public static bool IsUnreachable(Exception exception) => exception switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError } => true,
        // The circuit opened after repeated failures: the next calls would fail the same way.
        BrokenCircuitException => true,
        _ => exception.InnerException is { } inner && IsUnreachable(inner),
    };
}
