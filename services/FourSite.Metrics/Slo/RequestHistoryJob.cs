using Dapper;
using FourSite.Metrics.Scheduling;
using FourSite.Metrics.Signals;
using FourSite.ServiceDefaults.Telemetry;
using Npgsql;

namespace FourSite.Metrics.Slo;

/// <summary>
/// Every minute (one replica), copies the gateway's finished minutes from Redis (kept two days) into
/// <c>request_minutes</c> (kept 35 days), which the service level objectives are judged on. A minute is copied once it
/// is a minute old, so the gateway's last counts of it have landed.
/// </summary>
public sealed class RequestHistoryJob(RequestSignalReader signals, NpgsqlDataSource dataSource, ScheduledRuns schedule, TimeProvider clock,
    ILogger<RequestHistoryJob> logger) : ScheduledJob(schedule, logger)
{
    private static readonly long MaxBackfillMinutes = (long)RequestSignals.Retention.TotalMinutes;

    protected override string Name => "request-history";

    protected override TimeSpan Interval => TimeSpan.FromMinutes(1);

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var settled = RequestSignals.UnixMinute(clock.GetUtcNow()) - 1;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var last = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition("SELECT max(minute) FROM request_minutes", cancellationToken: cancellationToken));
        var next = Math.Max(last is { } copied ? RequestSignals.UnixMinute(new DateTimeOffset(DateTime.SpecifyKind(copied, DateTimeKind.Utc))) + 1 : 0, settled - MaxBackfillMinutes);
        for (var minute = next; minute < settled; minute++)
        {
            var counts = RequestMinute.From(await signals.ReadMinuteAsync(minute));
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO request_minutes (minute, requests, server_errors, throttled, timed, within_500ms, within_2s, within_5s)
                VALUES (@at, @Requests, @ServerErrors, @Throttled, @Timed, @Within500Ms, @Within2S, @Within5S)
                ON CONFLICT (minute) DO NOTHING
                """, new { at = DateTimeOffset.FromUnixTimeSeconds(minute * 60), counts.Requests, counts.ServerErrors, counts.Throttled, counts.Timed,
                    counts.Within500Ms, counts.Within2S, counts.Within5S }, cancellationToken: cancellationToken));
        }

        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM request_minutes WHERE minute < now() - interval '35 days'", cancellationToken: cancellationToken));
    }
}
