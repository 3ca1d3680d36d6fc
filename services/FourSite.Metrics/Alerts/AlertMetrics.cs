using Dapper;
using FourSite.Metrics.Analytics;
using FourSite.Metrics.Dashboard;
using FourSite.Metrics.Operations;
using FourSite.Metrics.Signals;
using FourSite.Metrics.Slo;
using FourSite.Metrics.Vitals;
using FourSite.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FourSite.Metrics.Alerts;

/// <summary>The metrics alert rules can name, each read over the rule's window.</summary>
public sealed class AlertMetrics(
    AnalyticsStore analytics,
    RequestSignalReader traffic,
    DeploymentHealth deployments,
    ViralCoefficientClient viral,
    SloCalculator slos,
    RealUserVitals vitals,
    TimingSignals timings,
    IOptions<MetricsOptions> options,
    NpgsqlDataSource dataSource,
    TimeProvider clock)
{
    public const string AiFailureRate = "ai_failure_rate";
    public const string GenerateP95Ms = "generate_p95_ms";
    public const string DatabaseErrors = "database_errors";
    public const string LeadConversionRate = "lead_conversion_rate";
    public const string ViralCoefficient = "viral_coefficient";
    public const string DailySignups = "daily_signups";
    public const string ErrorRate = "error_rate";
    public const string DeploymentRollback = "deployment_rollback";
    public const string DailyConversionRate = "daily_conversion_rate";
    public const string DailyPremiumConversion = "daily_premium_conversion";
    public const string GenerationFailureRate = "generation_failure_rate";
    public const string SloFastBurn = "slo_fast_burn";
    public const string SloSlowBurn = "slo_slow_burn";
    public const string SloBudgetBurn = "slo_budget_burn";
    public const string RealUserLcpP75 = "rum_lcp_p75_ms";
    public const string ViralScoreCalculationMs = "viral_score_calculation_ms";
    public const string DiskUsed = "disk_used";

    /// <summary>Lead capture as the gateway counts it.</summary>
    public const string CaptureEndpoint = "POST leads-leads";

    public static readonly IReadOnlyList<string> Names =
        [AiFailureRate, GenerateP95Ms, DatabaseErrors, LeadConversionRate, ViralCoefficient, DailySignups, ErrorRate, DeploymentRollback,
         DailyConversionRate, DailyPremiumConversion, GenerationFailureRate, SloFastBurn, SloSlowBurn, SloBudgetBurn, RealUserLcpP75, ViralScoreCalculationMs, DiskUsed];

    public async Task<MetricReading> ReadAsync(string metric, TimeSpan window, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        switch (metric)
        {
            case AiFailureRate:
                var ai = await analytics.AiUsageAsync(now - window, cancellationToken);
                return new MetricReading(ai.FailureRate, ai.Attempts);
            case GenerateP95Ms:
                var (p95, generations) = await analytics.GenerationTimeP95Async(now - window, cancellationToken);
                return new MetricReading(p95, generations);
            case DatabaseErrors:
                return await DatabaseErrorsAsync(now - window, cancellationToken);
            case LeadConversionRate:
                var captures = (await traffic.ReadAsync(window)).ByEndpoint.GetValueOrDefault(CaptureEndpoint);
                return new MetricReading(captures?.SuccessRate, captures?.Requests ?? 0);
            case ViralCoefficient:
                // The last whole UTC day: a day still under way always looks low.
                var yesterday = await viral.ForDayAsync(DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1), cancellationToken);
                return new MetricReading(yesterday?.Coefficient, yesterday?.Shares ?? 0);
            case DailySignups:
                var today = new DateTimeOffset(DateOnly.FromDateTime(now.UtcDateTime).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                return new MetricReading(await analytics.NewSiteOwnersAsync(today, now, cancellationToken), 1);
            case GenerationFailureRate:
                var (ended, failed) = await analytics.GenerationOutcomesAsync(now - window, cancellationToken);
                return new MetricReading(ended == 0 ? null : (double)failed / ended, ended);
            case ErrorRate:
                var all = (await traffic.ReadAsync(window)).Total;
                return new MetricReading(all.ErrorRate, all.Requests);
            case DeploymentRollback:
                var report = await deployments.ReadAsync();
                return new MetricReading(report.Slots.Count(slot => slot.Decision == RollbackDecision.Rollback), report.Slots.Count);
            case DailyConversionRate:
                return await BestOfLastDaysAsync(window, "conversion_rate", "visitors > 0", cancellationToken);
            case DailyPremiumConversion:
                return await BestOfLastDaysAsync(window, "premium_conversion", "site_owners > 0", cancellationToken);
            case RealUserLcpP75:
                var lcp = (await vitals.ReadAsync(window, cancellationToken)).Single(reading => reading.Name == RealUserVitals.Lcp);
                return new MetricReading(lcp.P75, lcp.Samples);
            case ViralScoreCalculationMs:
                var (calculations, averageMs) = await timings.ReadAsync(TimingSignals.ViralScoreCalculation, window);
                return new MetricReading(averageMs, calculations);
            case DiskUsed:
                var disk = SaturationReader.DiskUsed(options.Value.DataDirectories);
                return new MetricReading(disk, disk is null ? 0 : 1);
            case SloFastBurn:
                return await WorstBurnAsync("1h", "5m", cancellationToken);
            case SloSlowBurn:
                return await WorstBurnAsync("6h", "30m", cancellationToken);
            case SloBudgetBurn:
                return await WorstBurnAsync("3d", "3d", cancellationToken);
            default:
                throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown alert metric.");
        }
    }

    /// <summary>
    /// The best value of a daily KPI over the last whole UTC days of the window (today, still under way, is left out), and
    /// how many of those days had anything to measure: below a target, every one of those days fell short.
    /// </summary>
    private async Task<MetricReading> BestOfLastDaysAsync(TimeSpan window, string column, string measured, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var days = Math.Max(1, (int)Math.Round(window.TotalDays));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
#pragma warning disable S2077 // Dynamic SQL checked: the column and its condition come from the fixed map of alert metrics, never from a rule file or a request.
        var (best, samples) = await connection.QuerySingleAsync<(double? Best, int Samples)>(new CommandDefinition($"""
            SELECT max({column}), count(*)::int FROM daily_business_metrics WHERE date >= @first AND date < @today AND {measured}
            """, new { first = today.AddDays(-days).ToDateTime(TimeOnly.MinValue), today = today.ToDateTime(TimeOnly.MinValue) }, cancellationToken: cancellationToken));
#pragma warning restore S2077
        return new MetricReading(best, samples);
    }

    /// <summary>The objective burning its budget fastest over both windows, and the events behind that rate.</summary>
    private async Task<MetricReading> WorstBurnAsync(string longWindow, string shortWindow, CancellationToken cancellationToken)
    {
        var worst = (await slos.JudgeAsync(cancellationToken)).Select(slo => slo.BurnOver(longWindow, shortWindow))
            .Where(burn => burn.Rate is not null).OrderByDescending(burn => burn.Rate).FirstOrDefault();
        return new MetricReading(worst.Rate, worst.Events);
    }

    private async Task<MetricReading> DatabaseErrorsAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (failed, samples) = await connection.QuerySingleAsync<(int Failed, int Samples)>(new CommandDefinition("""
            SELECT count(*) FILTER (WHERE components->'database'->>'status' = 'unhealthy')::int, count(*)::int
            FROM health_samples WHERE sampled_at >= @since
            """, new { since }, cancellationToken: cancellationToken));
        return new MetricReading(failed, samples);
    }
}
