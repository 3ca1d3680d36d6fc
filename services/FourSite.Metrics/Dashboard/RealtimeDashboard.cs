using FourSite.Metrics.Analytics;
using FourSite.Metrics.Health;
using FourSite.Metrics.Rum;
using FourSite.Metrics.Signals;
using FourSite.ServiceDefaults.Database;

namespace FourSite.Metrics.Dashboard;

/// <summary>The realtime dashboard's data.</summary>
public sealed record RealtimeData(
    long? ActiveUsers,
    GenerationQueue GenerationQueue,
    IReadOnlyList<RecentShare> RecentShares,
    SystemHealth SystemHealth,
    IReadOnlyList<HourlyKpi> HourlyKPIs,
    DateTimeOffset Timestamp);

/// <summary>Puts the realtime view together: sessions from Redis, the queue from RabbitMQ, the rest from events and probes.</summary>
public sealed class RealtimeDashboard(
    ActiveUsers activeUsers,
    AnalyticsStore analytics,
    GenerationQueueDepth queueDepth,
    SystemHealthProbe health,
    TimeProvider clock)
{
    public async Task<RealtimeData> ReadAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var probe = health.CheckAsync(cancellationToken);
        var depth = queueDepth.ReadAsync(cancellationToken);
        var queue = analytics.GenerationQueueAsync(now.AddHours(-1), cancellationToken);
        var shares = analytics.RecentSharesAsync(10, cancellationToken);
        var hourly = analytics.HourlyAsync(now.AddHours(-24), cancellationToken);
        return new RealtimeData(await CountActiveAsync(), (await queue) with { QueueDepth = await depth }, await shares, await probe, await hourly, now);
    }

    /// <summary>Null when Redis cannot say; the rest of the dashboard still answers.</summary>
    private async Task<long?> CountActiveAsync()
    {
        try
        {
            return await activeUsers.CountAsync();
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            return null;
        }
    }
}
