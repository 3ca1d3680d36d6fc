using Dapper;
using FourSite.Metrics.Scheduling;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FourSite.Metrics.Rum;

/// <summary>
/// Every hour (one replica), deletes raw RUM beacons older than <see cref="MetricsOptions.RumBeaconRetention"/>, a batch
/// at a time so no delete holds the table long. Beacons carry visitors' sessions and user agents: they are kept only as
/// long as the vitals and dashboards that read them need.
/// </summary>
public sealed partial class RumRetentionJob(NpgsqlDataSource dataSource, ScheduledRuns schedule, IOptions<MetricsOptions> options, TimeProvider clock,
    ILogger<RumRetentionJob> logger) : ScheduledJob(schedule, logger)
{
    private const int BatchSize = 10_000;

    protected override string Name => "rum-retention";

    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - options.Value.RumBeaconRetention;
        var total = 0;
        int deleted;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        do
        {
            deleted = await connection.ExecuteAsync(new CommandDefinition("""
                DELETE FROM rum_beacons WHERE id IN (SELECT id FROM rum_beacons WHERE occurred_at < @cutoff LIMIT @BatchSize)
                """, new { cutoff, BatchSize }, cancellationToken: cancellationToken));
            total += deleted;
        }
        while (deleted == BatchSize);

        if (total > 0)
        {
            LogDeleted(logger, total, cutoff);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} RUM beacons from before {Cutoff}")]
    private static partial void LogDeleted(ILogger logger, int count, DateTimeOffset cutoff);
}
