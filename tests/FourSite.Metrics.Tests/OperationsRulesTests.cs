using FourSite.Metrics.Alerts;
using FourSite.Metrics.Operations;
using FourSite.Metrics.Signals;
using FourSite.ServiceDefaults.Telemetry;
using Xunit;

namespace FourSite.Metrics.Tests;

/// <summary>The pure rules of operations: alert rules from the shipped file, the rollback decision, latency percentiles.</summary>
public sealed class OperationsRulesTests
{
    private static readonly DateTimeOffset Evening = new(2026, 11, 25, 19, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyList<AlertRule> Shipped = AlertRuleFile.Load(Path.Combine(AppContext.BaseDirectory, "alert-rules.json")).Rules;

    private static AlertRule Rule(string name) => Shipped.Single(rule => rule.Name == name);

    [Theory]
    [InlineData("ai_failure_rate", 0.12, 0.01, 20)]
    [InlineData("generate_p95", 31_000, 4_000, 20)]
    [InlineData("database_errors", 2, 0, 10)]
    [InlineData("lead_conversion", 0.25, 0.8, 100)]
    [InlineData("viral_coefficient", 0.9, 1.8, 50)]
    [InlineData("daily_signups", 40, 150, 1)]
    [InlineData("generation_failure_rate", 0.2, 0.02, 40)]
    [InlineData("slo_fast_burn", 20, 3, 500)]
    [InlineData("real_user_lcp", 3_100, 1_800, 40)]
    [InlineData("slo_slow_burn", 8, 2, 500)]
    [InlineData("slo_budget_burn", 1.5, 0.5, 5000)]
    [InlineData("error_rate", 0.03, 0.001, 500)]
    [InlineData("deployment_rollback", 1, 0, 2)]
    [InlineData("conversion_below_target", 0.12, 0.16, 3)]
    [InlineData("premium_conversion_below_target", 0.03, 0.06, 3)]
    [InlineData("viral_score_calculation", 1_400, 35, 30)]
    [InlineData("disk_saturation", 0.93, 0.6, 1)]
    public void Each_shipped_rule_fires_on_a_breach_and_clears_without_one(string name, double breach, double fine, long samples)
    {
        var rule = Rule(name);

        var firing = AlertEvaluator.Evaluate(rule, new MetricReading(breach, samples), Evening);
        var clear = AlertEvaluator.Evaluate(rule, new MetricReading(fine, samples), Evening);

        Assert.True(firing.Firing, firing.Message);
        Assert.False(clear.Firing, clear.Message);
    }

    [Fact]
    public void The_shipped_rules_cover_the_launch_plan()
    {
        Assert.Equal(
            ["ai_failure_rate", "conversion_below_target", "daily_signups", "database_errors", "deployment_rollback", "disk_saturation", "error_rate", "generate_p95", "generation_failure_rate", "lead_conversion",
             "premium_conversion_below_target", "real_user_lcp", "slo_budget_burn", "slo_fast_burn", "slo_slow_burn", "viral_coefficient", "viral_score_calculation"],
            Shipped.Select(rule => rule.Name).Order(StringComparer.Ordinal));
        Assert.Equal(TimeSpan.FromMinutes(30), Rule("lead_conversion").Window);
        Assert.Equal(0.05, Rule("ai_failure_rate").Threshold);
    }

    [Fact]
    public void A_rule_without_enough_samples_does_not_fire()
    {
        var verdict = AlertEvaluator.Evaluate(Rule("lead_conversion"), new MetricReading(0.1, 5), Evening);
        var noData = AlertEvaluator.Evaluate(Rule("ai_failure_rate"), new MetricReading(null, 0), Evening);

        Assert.False(verdict.Firing);
        Assert.False(noData.Firing);
    }

    [Fact]
    public void The_signups_rule_is_checked_only_from_six_in_the_evening()
    {
        var rule = Rule("daily_signups");

        Assert.False(AlertEvaluator.Evaluate(rule, new MetricReading(3, 1), Evening.AddHours(-2)).Firing);
        Assert.True(AlertEvaluator.Evaluate(rule, new MetricReading(3, 1), Evening).Firing);
    }

    [Fact]
    public void A_rules_file_with_a_typo_is_refused()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, """{"rules":[{"name":"x","description":"x","metric":"ai_failure_rat","comparison":"above","threshold":1,"window":"00:05:00","severity":"critical","channels":["log","Pager Duty"]}]}""");

        var error = Assert.Throws<InvalidDataException>(() => AlertRuleFile.Load(path));

        Assert.Contains("unknown metric 'ai_failure_rat'", error.Message);
        Assert.Contains("channel 'Pager Duty' must be a name", error.Message);
        File.Delete(path);
    }

    [Theory]
    [InlineData(1000, 0.00, 200.0, 1.0, "healthy")]
    [InlineData(1000, 0.06, 200.0, 1.0, "rollback")]
    [InlineData(1000, 0.05, 200.0, 1.0, "healthy")]
    [InlineData(1000, 0.00, 5_001.0, 1.0, "rollback")]
    [InlineData(1000, 0.00, 200.0, 0.94, "rollback")]
    [InlineData(1000, 0.00, 200.0, 0.95, "healthy")]
    [InlineData(19, 0.50, 9_000.0, 0.5, "insufficient_data")]
    public void Rollback_decision(long requests, double errorRate, double p95, double uptime, string decision) =>
        Assert.Equal(decision, RollbackDecision.Decide(new SlotHealth("green", requests, errorRate, p95, uptime)).Decision);

    [Fact]
    public void Rollback_names_every_reason()
    {
        var decision = RollbackDecision.Decide(new SlotHealth("green", 500, 0.2, 9_000, 0.5));

        Assert.Equal(3, decision.Reasons.Count);
    }

    [Fact]
    public void Percentiles_come_from_the_latency_buckets_never_understated()
    {
        var counts = new TrafficCounts();
        foreach (var (ms, times) in new[] { (10.0, 90), (100.0, 9), (3_000.0, 1) })
        {
            counts.Add(RequestSignals.Bucket(RequestSignals.BucketOf(ms)), times);
        }

        var p50 = counts.LatencyMs(50)!.Value;
        var p95 = counts.LatencyMs(95)!.Value;
        var p99 = counts.LatencyMs(99)!.Value;
        var p100 = counts.LatencyMs(100)!.Value;

        Assert.InRange(p50, 10, 12.5);
        Assert.InRange(p95, 100, 125);
        Assert.InRange(p99, 100, 125);
        Assert.InRange(p100, 3_000, 3_750);
        Assert.Null(new TrafficCounts().LatencyMs(95));
    }

    [Fact]
    public void Rates_come_from_the_status_counts()
    {
        var counts = new TrafficCounts();
        counts.Add(RequestSignals.Requests, 200);
        counts.Add("2xx", 150);
        counts.Add("5xx", 20);
        counts.Add(RequestSignals.Unavailable, 10);

        Assert.Equal(0.1, counts.ErrorRate);
        Assert.Equal(0.75, counts.SuccessRate);
        Assert.Equal(0.95, counts.Uptime);
    }

    [Fact]
    public void Disk_saturation_is_the_fullest_disk_among_the_data_directories_that_can_be_read()
    {
        var temp = SaturationReader.DiskUsed([Path.GetTempPath()]);
        var root = SaturationReader.DiskUsed(["/"]);

        Assert.InRange(temp!.Value, 0.0001, 1);
        Assert.Equal(Math.Max(temp.Value, root!.Value), SaturationReader.DiskUsed([Path.GetTempPath(), "/", "/no/such/mount/anywhere"]));
        Assert.Null(SaturationReader.DiskUsed(["/no/such/mount/anywhere"]));
        Assert.Null(SaturationReader.DiskUsed([]));
    }
}
