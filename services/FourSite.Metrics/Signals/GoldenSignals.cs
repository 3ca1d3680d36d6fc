using FourSite.Metrics.Analytics;

namespace FourSite.Metrics.Signals;

/// <summary>One signal: its value, the thresholds it is held to and the one it breaks, if any.</summary>
public sealed record Signal(string Name, double? Value, string Unit, IReadOnlyList<Threshold> Thresholds, Threshold? Violation)
{
    public static Signal Of(string name, double? value, string unit, IReadOnlyList<Threshold> thresholds) =>
        new(name, value is null ? null : Math.Round(value.Value, 4), unit, thresholds, SignalThresholds.Broken(value, thresholds));
}

/// <summary>One public endpoint's latency, traffic and errors.</summary>
public sealed record EndpointSignals(string Endpoint, long Requests, double RequestsPerSecond, IReadOnlyList<Signal> Signals);

/// <summary>The golden signals of the platform over a window.</summary>
public sealed record GoldenSignalsReport(TimeSpan Window, DateTimeOffset Timestamp, IReadOnlyList<Signal> Signals, IReadOnlyList<EndpointSignals> Endpoints)
{
    public IReadOnlyList<Signal> Violations =>
        [.. Signals.Concat(Endpoints.SelectMany(endpoint => endpoint.Signals.Select(signal => signal with { Name = $"{endpoint.Endpoint}: {signal.Name}" })))
            .Where(signal => signal.Violation is not null)];
}

/// <summary>Computes the golden signals from what the gateway counted, the business events and the machine.</summary>
public sealed class GoldenSignals(RequestSignalReader traffic, AnalyticsStore analytics, SaturationReader saturation, TimeProvider clock)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(5);

    public async Task<GoldenSignalsReport> ReadAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // The gateway's counts (Redis), AI usage (PostgreSQL) and saturation (the machine, PostgreSQL, RabbitMQ) at once.
        var counting = traffic.ReadAsync(window);
        var aiUsage = analytics.AiUsageAsync(now - window, cancellationToken);
        var saturating = saturation.ReadAsync(cancellationToken);
        await Task.WhenAll(counting, aiUsage, saturating);
        var (requests, ai, full) = (await counting, await aiUsage, await saturating);
        var seconds = requests.Window.TotalSeconds;

        Signal[] signals =
        [
            Signal.Of("latency.p50", requests.Total.LatencyMs(50), "ms", []),
            Signal.Of("latency.p95", requests.Total.LatencyMs(95), "ms", []),
            Signal.Of("latency.p99", requests.Total.LatencyMs(99), "ms", []),
            Signal.Of("traffic", requests.Total.Requests / seconds, "req/s", []),
            Signal.Of("errors.rate", requests.Total.ErrorRate, "ratio", SignalThresholds.ErrorRate),
            Signal.Of("errors.ai_failure_rate", ai.FailureRate, "ratio", SignalThresholds.AiFailureRate),
            Signal.Of("saturation.cpu", full.CpuLoad, "load per core", SignalThresholds.CpuLoad),
            Signal.Of("saturation.memory", full.MemoryUsed, "ratio", SignalThresholds.MemoryUsed),
            Signal.Of("saturation.db_connections", full.DatabaseConnectionsUsed, "ratio", SignalThresholds.DatabaseConnectionsUsed),
            Signal.Of("saturation.disk", full.DiskUsed, "ratio", SignalThresholds.DiskUsed),
            Signal.Of("saturation.queue_depth", full.QueueDepth, "messages", SignalThresholds.QueueDepth),
        ];
        var endpoints = requests.ByEndpoint
            .OrderByDescending(entry => entry.Value.Requests).ThenBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => Endpoint(entry.Key, entry.Value, seconds))
            .ToList();
        return new GoldenSignalsReport(requests.Window, now, signals, endpoints);
    }

    private static EndpointSignals Endpoint(string endpoint, TrafficCounts counts, double seconds)
    {
        var generation = SignalThresholds.IsGeneration(endpoint);
        return new EndpointSignals(endpoint, counts.Requests, Math.Round(counts.Requests / seconds, 3),
        [
            Signal.Of("latency.p50", counts.LatencyMs(50), "ms", []),
            Signal.Of("latency.p95", counts.LatencyMs(95), "ms", generation ? SignalThresholds.GenerateLatencyP95 : SignalThresholds.LatencyP95),
            Signal.Of("latency.p99", counts.LatencyMs(99), "ms", generation ? [] : SignalThresholds.LatencyP99),
            Signal.Of("errors.rate", counts.ErrorRate, "ratio", SignalThresholds.ErrorRate),
        ]);
    }
}
