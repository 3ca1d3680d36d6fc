using Dapper;
using FourSite.Metrics.Scheduling;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FourSite.Metrics.SiteAnalytics;

/// <summary>
/// Every <see cref="MetricsOptions.SiteAnalyticsInterval"/> (a minute; one replica), rebuilds the rollups an owner's
/// analytics are read from: page views and visitors, captures and confirmations, sources and devices, shares per
/// channel, and each day's real-user vitals. Each round rebuilds from the day of the last round (less a margin for
/// page views still in the buffer), so days missed while Metrics was down are rebuilt when it is back, as far back as
/// raw beacons are kept. Salts of past days are deleted.
/// </summary>
public sealed class SiteTrafficRollup(NpgsqlDataSource dataSource, VisitorSalts salts, ScheduledRuns schedule, IOptions<MetricsOptions> options, TimeProvider clock,
    ILogger<SiteTrafficRollup> logger) : ScheduledJob(schedule, logger)
{
    /// <summary>How long page views may wait in the buffer: a round rebuilds the day this long before the last round too.</summary>
    public static readonly TimeSpan LateArrivals = TimeSpan.FromMinutes(15);

    protected override string Name => "site-traffic-rollup";

    protected override TimeSpan Interval => options.Value.SiteAnalyticsInterval;

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var started = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var last = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition("SELECT rolled_at FROM site_analytics_rollups", cancellationToken: cancellationToken));
        // Never from before the oldest raw beacons kept: rebuilding such a day would empty it.
        var oldestKept = started - options.Value.RumBeaconRetention + TimeSpan.FromDays(1);
        var from = Max(last is { } at ? new DateTimeOffset(at, TimeSpan.Zero) - LateArrivals : started - LateArrivals, oldestKept);
        await RollUpAsync(DateOnly.FromDateTime(Min(from, started - LateArrivals).UtcDateTime), cancellationToken, started);
    }

    /// <summary>Rebuilds every site's rollups from <paramref name="from"/> (UTC days) on, in one transaction.</summary>
    public async Task RollUpAsync(DateOnly from, CancellationToken cancellationToken, DateTimeOffset? rolledAt = null)
    {
        var since = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(RollUpSql, new { from, since, rolledAt = rolledAt ?? clock.GetUtcNow() }, transaction, commandTimeout: 600,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }

        await salts.ForgetPastAsync(connection, cancellationToken);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private const string SiteViews = """
        rum_beacons b JOIN analytics_sites s ON s.slug = b.site_slug AND s.removed_at IS NULL
        """;

    private const string RollUpSql = $"""
        DELETE FROM site_traffic_daily WHERE day >= @from;
        DELETE FROM site_breakdowns_daily WHERE day >= @from;
        DELETE FROM site_shares_daily WHERE day >= @from;
        DELETE FROM site_vitals_daily WHERE day >= @from;
        INSERT INTO site_analytics_rollups (rolled_at) VALUES (@rolledAt) ON CONFLICT (id) DO UPDATE SET rolled_at = excluded.rolled_at;

        INSERT INTO site_traffic_daily (site_id, day, views, visitors, captures, confirmed)
        WITH views AS (
            SELECT s.site_id, (b.occurred_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS views, count(DISTINCT b.visitor)::int AS visitors
            FROM {SiteViews}
            WHERE b.type = 'page_view' AND b.occurred_at >= @since
            GROUP BY 1, 2),
        events AS (
            SELECT e.site_id, (e.occurred_at AT TIME ZONE 'UTC')::date AS day,
                   count(*) FILTER (WHERE e.event_type = 'lead_captured' AND NOT coalesce((e.properties->>'duplicate')::boolean, false))::int AS captures,
                   count(*) FILTER (WHERE e.event_type = 'subscription_confirmed')::int AS confirmed
            FROM analytics_events e JOIN analytics_sites s ON s.site_id = e.site_id AND s.removed_at IS NULL
            WHERE e.event_type IN ('lead_captured', 'subscription_confirmed') AND e.occurred_at >= @since
            GROUP BY 1, 2)
        SELECT coalesce(v.site_id, e.site_id), coalesce(v.day, e.day), coalesce(v.views, 0), coalesce(v.visitors, 0), coalesce(e.captures, 0), coalesce(e.confirmed, 0)
        FROM views v FULL JOIN events e ON e.site_id = v.site_id AND e.day = v.day;

        INSERT INTO site_breakdowns_daily (site_id, day, kind, value, views, visitors)
        SELECT s.site_id, (b.occurred_at AT TIME ZONE 'UTC')::date, source.kind, source.value, count(*)::int, count(DISTINCT b.visitor)::int
        FROM {SiteViews}
        CROSS JOIN LATERAL (VALUES ('referrer', coalesce(b.referrer_host, '(direct)')), ('channel', b.channel), ('utm_source', b.utm_source),
                                   ('utm_campaign', b.utm_campaign), ('device', b.device)) AS source(kind, value)
        WHERE b.type = 'page_view' AND b.occurred_at >= @since AND source.value IS NOT NULL
        GROUP BY 1, 2, 3, 4;

        INSERT INTO site_shares_daily (site_id, day, channel, shares)
        SELECT e.site_id, (e.occurred_at AT TIME ZONE 'UTC')::date, e.properties->>'platform', count(*)::int
        FROM analytics_events e JOIN analytics_sites s ON s.site_id = e.site_id AND s.removed_at IS NULL
        WHERE e.event_type = 'share_tracked' AND e.occurred_at >= @since AND e.properties->>'platform' IS NOT NULL
        GROUP BY 1, 2, 3;

        INSERT INTO site_vitals_daily (site_id, day, lcp_p75, lcp_samples, inp_p75, inp_samples, cls_p75, cls_samples)
        SELECT s.site_id, (b.occurred_at AT TIME ZONE 'UTC')::date,
               percentile_cont(0.75) WITHIN GROUP (ORDER BY b.lcp_ms), count(b.lcp_ms)::int,
               percentile_cont(0.75) WITHIN GROUP (ORDER BY b.inp_ms), count(b.inp_ms)::int,
               percentile_cont(0.75) WITHIN GROUP (ORDER BY b.cls), count(b.cls)::int
        FROM {SiteViews}
        WHERE b.type = 'core_web_vitals' AND b.occurred_at >= @since
        GROUP BY 1, 2;
        """;
}
