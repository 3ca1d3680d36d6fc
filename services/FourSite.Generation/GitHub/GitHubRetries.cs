using Microsoft.Extensions.Http.Resilience;

namespace FourSite.Generation.GitHub;

/// <summary>
/// GitHub's HTTP retries: an answer that failed (5xx, 429, a timeout) is retried with the standard back-off, but a
/// connection that could not be made at all (DNS failure, refused, TLS failure) only once, quickly, so a user learns
/// within seconds that GitHub cannot be reached.
/// </summary>
public static class GitHubRetries
{
    public const int UnreachableAttempts = 1;
    public static readonly TimeSpan UnreachableDelay = TimeSpan.FromMilliseconds(250);

    public static void RetryUnreachableBriefly(HttpRetryStrategyOptions retry)
    {
        retry.ShouldHandle = arguments => ValueTask.FromResult(
            HttpClientResiliencePredicates.IsTransient(arguments.Outcome)
            && !(arguments.Outcome.Exception is { } exception && GitHubReachability.IsUnreachable(exception) && arguments.AttemptNumber >= UnreachableAttempts));
        retry.DelayGenerator = arguments => ValueTask.FromResult<TimeSpan?>(
            arguments.Outcome.Exception is { } exception && GitHubReachability.IsUnreachable(exception) ? UnreachableDelay : null);
    }
}
