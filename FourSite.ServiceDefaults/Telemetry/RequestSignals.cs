namespace FourSite.ServiceDefaults.Telemetry;

/// <summary>
/// How the gateway reports every public request for the golden signals, and how Metrics reads them back: per-minute
/// Redis hashes (<c>foursite:signals:{unix minute}</c>) with, per endpoint (<c>{method} {route id}</c>) and deployment
/// slot, a request count, a count per status class, a count of unavailable answers (502/503/504) and a count per latency
/// bucket.
/// </summary>
public static class RequestSignals
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(2);

    /// <summary>Upper bounds (ms) of the latency buckets: 1 ms growing by a quarter each step, to about two minutes.</summary>
    public static readonly double[] BucketBounds = [.. Enumerable.Range(0, 53).Select(step => Math.Round(Math.Pow(1.25, step), 3))];

    public const string Requests = "n";
    public const string Unavailable = "unavailable";

    /// <summary>Requests refused by a rate limit (429): the caller's doing, so outside the availability objective.</summary>
    public const string Throttled = "throttled";

    public static string Key(long unixMinute) => $"foursite:signals:{unixMinute}";

    public static long UnixMinute(DateTimeOffset at) => at.ToUnixTimeSeconds() / 60;

    /// <summary>The hash field of one count: <c>{endpoint}|{slot}|{counter}</c>.</summary>
    public static string Field(string endpoint, string slot, string counter) => $"{endpoint}|{slot}|{counter}";

    public static string StatusClass(int status) => $"{status / 100}xx";

    public static string Bucket(int index) => $"b{index}";

    /// <summary>The bucket a duration falls in (the last one holds everything longer).</summary>
    public static int BucketOf(double milliseconds)
    {
        var index = Array.BinarySearch(BucketBounds, milliseconds);
        return Math.Min(index >= 0 ? index : ~index, BucketBounds.Length - 1);
    }

    public static bool IsUnavailable(int status) => status is 502 or 503 or 504;
}
