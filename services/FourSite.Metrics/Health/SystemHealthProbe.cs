using System.Diagnostics;
using Dapper;
using FourSite.Metrics.Analytics;
using FourSite.ServiceDefaults.Http;
using Microsoft.Extensions.Options;
using Npgsql;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace FourSite.Metrics.Health;

/// <summary>One part of the platform: its status and how long it took to answer.</summary>
public sealed record ComponentHealth(string Status, double? LatencyMs = null, string? Detail = null)
{
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";
    public const string Degraded = "degraded";
    public const string Unused = "unused";

    public bool IsHealthy => Status is Healthy or Degraded or Unused;
}

/// <summary>The platform's health: the stores, the broker, the AI provider and each service.</summary>
public sealed record SystemHealth(string Status, ComponentHealth Database, ComponentHealth Cache, ComponentHealth Broker, ComponentHealth Ai, IReadOnlyDictionary<string, ComponentHealth> Services)
{
    public bool IsHealthy => Status == ComponentHealth.Healthy;
}

/// <summary>Checks every part of the platform, each within a short bound, all at once.</summary>
public sealed class SystemHealthProbe(
    NpgsqlDataSource dataSource,
    IConnectionMultiplexer redis,
    IConnection broker,
    AnalyticsStore analytics,
    ServiceHealthFanOut services,
    IOptions<MetricsOptions> options,
    TimeProvider clock)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan AiWindow = TimeSpan.FromMinutes(15);

    public async Task<SystemHealth> CheckAsync(CancellationToken cancellationToken)
    {
        var database = Timed(async token =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(token);
            await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: token));
        }, cancellationToken);
        var cache = Timed(async _ => await redis.GetDatabase().PingAsync(), cancellationToken);
        var ai = AiAsync(cancellationToken);
        var probes = services.ProbeAsync(options.Value.Services, HealthExtensions.HealthPath, Bound,
            (response, _) => Task.FromResult(response.IsSuccessStatusCode ? null : $"answered {(int)response.StatusCode}"), "no answer", cancellationToken);
        var brokerHealth = broker.IsOpen ? new ComponentHealth(ComponentHealth.Healthy) : new ComponentHealth(ComponentHealth.Unhealthy, Detail: "connection closed");

        var byService = (await probes).ToDictionary(entry => entry.Key, entry => entry.Value switch
        {
            { Answered: true, Result: null } => new ComponentHealth(ComponentHealth.Healthy, entry.Value.LatencyMs),
            { Answered: true } answered => new ComponentHealth(ComponentHealth.Unhealthy, answered.LatencyMs, answered.Result),
            var unanswered => new ComponentHealth(ComponentHealth.Unhealthy, unanswered.LatencyMs, unanswered.Failure),
        });
        var parts = new[] { await database, await cache, brokerHealth }.Concat(byService.Values);
        var status = parts.All(part => part.IsHealthy) ? ComponentHealth.Healthy : ComponentHealth.Unhealthy;
        return new SystemHealth(status, await database, await cache, brokerHealth, await ai, byService);
    }

    /// <summary>The AI provider as the last generations saw it: unused, healthy, or degraded above 5 % failures.</summary>
    private async Task<ComponentHealth> AiAsync(CancellationToken cancellationToken)
    {
        try
        {
            var usage = await analytics.AiUsageAsync(clock.GetUtcNow() - AiWindow, cancellationToken);
            return usage.FailureRate switch
            {
                null => new ComponentHealth(ComponentHealth.Unused, Detail: "no AI generations in the last 15 minutes"),
                > 0.05 => new ComponentHealth(ComponentHealth.Degraded, Detail: $"{usage.Failures} of {usage.Attempts} AI generations fell back"),
                _ => new ComponentHealth(ComponentHealth.Healthy, Detail: $"{usage.Attempts} AI generations, {usage.Failures} fell back"),
            };
        }
        catch (NpgsqlException exception)
        {
            return new ComponentHealth(ComponentHealth.Unhealthy, Detail: exception.Message);
        }
    }

    private static async Task<ComponentHealth> Timed(Func<CancellationToken, Task> check, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Bound);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await check(bounded.Token);
            return new ComponentHealth(ComponentHealth.Healthy, Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1));
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new ComponentHealth(ComponentHealth.Unhealthy, Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1),
                exception is OperationCanceledException ? "no answer in time" : exception.GetType().Name);
        }
    }
}
