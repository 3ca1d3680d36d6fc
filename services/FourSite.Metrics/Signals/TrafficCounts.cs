using FourSite.ServiceDefaults.Telemetry;

namespace FourSite.Metrics.Signals;

/// <summary>What the gateway counted for one endpoint or slot over a window.</summary>
public sealed class TrafficCounts
{
    public long Requests { get; private set; }
    public long ServerErrors { get; private set; }
    public long Successes { get; private set; }
    public long Unavailable { get; private set; }
    public long Throttled { get; private set; }
    public long[] Buckets { get; } = new long[RequestSignals.BucketBounds.Length];

    public void Add(string counter, long count)
    {
        switch (counter)
        {
            case RequestSignals.Requests: Requests += count; break;
            case "5xx": ServerErrors += count; break;
            case "2xx": Successes += count; break;
            case RequestSignals.Unavailable: Unavailable += count; break;
            case RequestSignals.Throttled: Throttled += count; break;
            case ['b', .. var index] when int.TryParse(index, out var bucket) && bucket >= 0 && bucket < Buckets.Length: Buckets[bucket] += count; break;
        }
    }

    public void Add(TrafficCounts other)
    {
        Requests += other.Requests;
        ServerErrors += other.ServerErrors;
        Successes += other.Successes;
        Unavailable += other.Unavailable;
        Throttled += other.Throttled;
        for (var i = 0; i < Buckets.Length; i++)
        {
            Buckets[i] += other.Buckets[i];
        }
    }

    public double? ErrorRate => Requests == 0 ? null : (double)ServerErrors / Requests;

    public double? SuccessRate => Requests == 0 ? null : (double)Successes / Requests;

    /// <summary>The share of answers that were not "the service is unavailable" (502/503/504).</summary>
    public double? Uptime => Requests == 0 ? null : 1 - ((double)Unavailable / Requests);

    /// <summary>
    /// The latency below which <paramref name="percentile"/> % of timed requests fell, as the upper bound of the bucket it
    /// lands in (so it never understates, and overstates by at most a quarter).
    /// </summary>
    public double? LatencyMs(double percentile)
    {
        var total = Buckets.Sum();
        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * total));
        long seen = 0;
        for (var i = 0; i < Buckets.Length; i++)
        {
            seen += Buckets[i];
            if (seen >= rank)
            {
                return RequestSignals.BucketBounds[i];
            }
        }

        return RequestSignals.BucketBounds[^1];
    }
}
