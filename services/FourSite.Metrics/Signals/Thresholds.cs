namespace FourSite.Metrics.Signals;

/// <summary>A limit a signal must stay on the right side of, and how bad it is to cross it.</summary>
public sealed record Threshold(string Severity, string Comparison, double Limit)
{
    public const string Above = "above";
    public const string Below = "below";

    public bool IsBrokenBy(double value) => Comparison == Above ? value > Limit : value < Limit;

    public static Threshold Warning(double limit, string comparison = Above) => new(Severities.Warning, comparison, limit);

    public static Threshold Critical(double limit, string comparison = Above) => new(Severities.Critical, comparison, limit);
}

public static class Severities
{
    public const string Info = "info";
    public const string Warning = "warning";
    public const string Critical = "critical";

    public static int Rank(string severity) => severity switch { Critical => 2, Warning => 1, _ => 0 };
}

/// <summary>
/// The golden-signal thresholds, from the launch targets: API p95 under 2 s and p99 under 5 s (generation may wait up
/// to its 30 s bound), errors under 1 % (5 % is a rollback), AI failures under 5 %, and headroom on CPU, memory,
/// database connections and the generation queue.
/// </summary>
public static class SignalThresholds
{
    public static readonly IReadOnlyList<Threshold> LatencyP95 = [Threshold.Warning(2_000)];
    public static readonly IReadOnlyList<Threshold> LatencyP99 = [Threshold.Critical(5_000)];
    public static readonly IReadOnlyList<Threshold> GenerateLatencyP95 = [Threshold.Critical(30_000)];
    public static readonly IReadOnlyList<Threshold> ErrorRate = [Threshold.Critical(0.05), Threshold.Warning(0.01)];
    public static readonly IReadOnlyList<Threshold> AiFailureRate = [Threshold.Warning(0.05)];
    public static readonly IReadOnlyList<Threshold> CpuLoad = [Threshold.Critical(1.0), Threshold.Warning(0.8)];
    public static readonly IReadOnlyList<Threshold> MemoryUsed = [Threshold.Critical(0.95), Threshold.Warning(0.85)];
    public static readonly IReadOnlyList<Threshold> DatabaseConnectionsUsed = [Threshold.Critical(0.95), Threshold.Warning(0.8)];

    /// <summary>The launch plan's "under 90 % disk"; past 95 % the databases are at risk of stopping.</summary>
    public static readonly IReadOnlyList<Threshold> DiskUsed = [Threshold.Critical(0.95), Threshold.Warning(0.9)];
    public static readonly IReadOnlyList<Threshold> QueueDepth = [Threshold.Critical(1_000), Threshold.Warning(100)];

    /// <summary>Generation calls wait for their site (up to 30 s), so their latency is held to that bound instead.</summary>
    public static bool IsGeneration(string endpoint) => endpoint == "POST generation-generate";

    /// <summary>The most severe threshold the value breaks, or null.</summary>
    public static Threshold? Broken(double? value, IReadOnlyList<Threshold> thresholds) =>
        value is { } measured
            ? thresholds.Where(threshold => threshold.IsBrokenBy(measured)).OrderByDescending(threshold => Severities.Rank(threshold.Severity)).FirstOrDefault()
            : null;
}
