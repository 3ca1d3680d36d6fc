using FourSite.Metrics.Scheduling;
using Microsoft.Extensions.Options;

namespace FourSite.Metrics.Dashboard;

/// <summary>
/// The daily rollup job: on a schedule (one replica per interval) it rolls up today, yesterday (events may still
/// arrive after midnight) and any day of the last 90 that has events but no row yet.
/// </summary>
public sealed class RollupService(DailyRollup rollup, ScheduledRuns schedule, IOptions<MetricsOptions> options, TimeProvider clock, ILogger<RollupService> logger)
    : ScheduledJob(schedule, logger)
{
    public const int BackfillDays = 90;

    protected override string Name => "rollup";

    protected override TimeSpan Interval => options.Value.RollupInterval;

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var days = (await rollup.MissingDaysAsync(today, BackfillDays, cancellationToken)).Append(today.AddDays(-1)).Append(today).Distinct();
        foreach (var day in days)
        {
            await rollup.RollUpAsync(day, cancellationToken);
        }
    }
}
