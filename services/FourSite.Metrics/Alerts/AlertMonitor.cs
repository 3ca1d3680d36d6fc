using System.Text.Json;
using Dapper;
using FourSite.Metrics.Alerts.Channels;
using FourSite.Metrics.Health;
using FourSite.Metrics.Scheduling;
using FourSite.Metrics.Signals;
using FourSite.ServiceDefaults.Database;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FourSite.Metrics.Alerts;

/// <summary>
/// On a schedule (one replica per interval): samples the platform's health (the source of uptime and of database
/// errors), evaluates every alert rule, raises and resolves alerts, and notifies each rule's channels of the change
/// (and, every repeat interval, of a critical alert still firing).
/// A round that cannot reach the database reports the outage itself (<see cref="DatabaseOutageAlert"/>).
/// </summary>
public sealed partial class AlertMonitor(
    AlertRuleSet rules,
    AlertMetrics metrics,
    AlertStore alerts,
    AlertNotifier notifier,
    DatabaseOutageAlert databaseOutage,
    SystemHealthProbe health,
    ScheduledRuns schedule,
    NpgsqlDataSource dataSource,
    IOptions<MetricsOptions> options,
    IOptions<AlertsOptions> alertsOptions,
    TimeProvider clock,
    ILogger<AlertMonitor> logger) : ScheduledJob(schedule, logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected override string Name => "evaluate";

    protected override TimeSpan Interval => options.Value.EvaluationInterval;

    /// <summary>One round: a health sample, then every rule.</summary>
    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await SampleHealthAsync(cancellationToken);
        foreach (var rule in rules.Rules)
        {
            MetricReading reading;
            try
            {
                reading = await metrics.ReadAsync(rule.Metric, rule.Window, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // One metric that cannot be read (Redis away, a peer down) leaves the other rules to run.
                LogRuleSkipped(logger, rule.Name, exception.Message);
                continue;
            }

            var verdict = AlertEvaluator.Evaluate(rule, reading, clock.GetUtcNow());
            if (verdict.Firing && await alerts.RaiseAsync(verdict, cancellationToken))
            {
                await NotifyAsync(verdict, AlertTransitions.Raised, cancellationToken);
            }
            else if (verdict.Firing && rule.Severity == Severities.Critical && await alerts.RepeatDueAsync(rule.Name, alertsOptions.Value.RepeatInterval, cancellationToken))
            {
                await NotifyAsync(verdict, AlertTransitions.Repeated, cancellationToken);
            }
            else if (!verdict.Firing && await alerts.ResolveAsync(rule.Name, cancellationToken))
            {
                await NotifyAsync(verdict, AlertTransitions.Resolved, cancellationToken);
            }
        }
    }

    private async Task SampleHealthAsync(CancellationToken cancellationToken)
    {
        var sample = await health.CheckAsync(cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO health_samples (sampled_at, healthy, components) VALUES (@now, @healthy, @components::jsonb)
            ON CONFLICT (sampled_at) DO NOTHING
            """, new { now = clock.GetUtcNow(), healthy = sample.IsHealthy, components = JsonSerializer.Serialize(sample, Json) }, cancellationToken: cancellationToken));
    }

    /// <summary>A round that failed for anything but an unreachable database had reached it: its schedule is kept there.</summary>
    public override Task AfterAttemptAsync(Exception? failure, CancellationToken cancellationToken) =>
        failure is not null && failure.IsDatabaseUnreachable()
            ? databaseOutage.ReportDownAsync(failure.Message, cancellationToken)
            : databaseOutage.ReportUpAsync(cancellationToken);

    private Task NotifyAsync(AlertVerdict verdict, string transition, CancellationToken cancellationToken) =>
        notifier.NotifyAsync(verdict.Rule, transition, verdict.Message, verdict.Value, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert rule {Rule} not evaluated this round: {Reason}")]
    private static partial void LogRuleSkipped(ILogger logger, string rule, string reason);
}
