using FourSite.Metrics.Signals;
using FourSite.ServiceDefaults.Telemetry;

namespace FourSite.Metrics.Slo;

/// <summary>
/// The gateway's counts over a stretch of time, as the objectives judge them: requests, server errors, rate-limited
/// refusals, and how many timed requests were answered within each latency threshold.
/// </summary>
public sealed record RequestMinute(long Requests, long ServerErrors, long Throttled, long Timed, long Within500Ms, long Within2S, long Within5S)
{
    public static readonly RequestMinute None = new(0, 0, 0, 0, 0, 0, 0);

    /// <summary>From the gateway's histogram: a bucket counts as within a threshold only when its upper bound is (never flattering).</summary>
    public static RequestMinute From(TrafficCounts counts) => new(counts.Requests, counts.ServerErrors, counts.Throttled, counts.Buckets.Sum(),
        Within(counts, 500), Within(counts, 2_000), Within(counts, 5_000));

    private static long Within(TrafficCounts counts, double milliseconds) =>
        counts.Buckets.Where((_, bucket) => RequestSignals.BucketBounds[bucket] <= milliseconds).Sum();
}
