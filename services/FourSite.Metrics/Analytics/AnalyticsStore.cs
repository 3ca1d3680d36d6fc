using System.Text.Json;
using Dapper;
using Npgsql;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Metrics.Analytics;

/// <summary>A recently tracked share, for the realtime dashboard.</summary>
public sealed record RecentShare(Guid WebsiteId, string Platform, double ViralScore, DateTimeOffset TrackedAt);

/// <summary>The generation pipeline over the last hour; <see cref="QueueDepth"/> is read from the broker.</summary>
public sealed record GenerationQueue(long? QueueDepth, int Running, int StartedLastHour, int CompletedLastHour, int FailedLastHour);

/// <summary>One hour of the business.</summary>
public sealed record HourlyKpi(DateTimeOffset Hour, int Generations, int Captures, int Shares, int Upgrades);

/// <summary>AI generations in a window: how many used a provider, and how many fell back because it failed.</summary>
public sealed record AiUsage(int Attempts, int Failures)
{
    public double? FailureRate => Attempts == 0 ? null : (double)Failures / Attempts;
}

/// <summary><c>analytics_events</c>: written once per message, read by the dashboards and alert rules.</summary>
public sealed class AnalyticsStore(NpgsqlDataSource dataSource, MetricsTelemetry telemetry)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Records events in one statement; an event whose message was recorded before is skipped.</summary>
    public async Task RecordAsync(IReadOnlyList<(Guid MessageId, AnalyticsEvent Event)> events, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var inserted = await connection.QueryAsync<string>(new CommandDefinition("""
            INSERT INTO analytics_events (id, message_id, event_type, site_id, session_id, properties, occurred_at)
            SELECT id, message_id, event_type, site_id, session_id, properties::jsonb, occurred_at
            FROM unnest(@ids, @messageIds, @types, @siteIds, @sessionIds, @properties, @occurredAts)
                AS event (id, message_id, event_type, site_id, session_id, properties, occurred_at)
            ON CONFLICT (message_id) DO NOTHING
            RETURNING event_type
            """, new
        {
            ids = events.Select(_ => Guid.CreateVersion7()).ToArray(),
            messageIds = events.Select(item => item.MessageId).ToArray(),
            types = events.Select(item => item.Event.Type).ToArray(),
            siteIds = events.Select(item => item.Event.SiteId).ToArray(),
            sessionIds = events.Select(item => item.Event.SessionId).ToArray(),
            properties = events.Select(item => JsonSerializer.Serialize(item.Event.Properties, Json)).ToArray(),
            occurredAts = events.Select(item => item.Event.OccurredAt.UtcDateTime).ToArray(),
        }, cancellationToken: cancellationToken));
        foreach (var type in inserted)
        {
            telemetry.Event(type);
        }
    }

    public async Task<IReadOnlyList<RecentShare>> RecentSharesAsync(int count, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(Guid SiteId, string Platform, double Score, DateTime At)>(new CommandDefinition("""
            SELECT site_id, properties->>'platform', (properties->>'viralScore')::double precision, occurred_at
            FROM analytics_events WHERE event_type = 'share_tracked' ORDER BY occurred_at DESC LIMIT @count
            """, new { count }, cancellationToken: cancellationToken));
        return rows.Select(row => new RecentShare(row.SiteId, row.Platform, row.Score, Utc(row.At))).ToList();
    }

    /// <summary>The last hour's jobs by outcome; the broker's queue depth is the caller's to add.</summary>
    public async Task<GenerationQueue> GenerationQueueAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<(int Started, int Completed, int Failed, int Running)>(new CommandDefinition("""
            SELECT
                count(*) FILTER (WHERE event_type = 'generation_started')::int,
                count(*) FILTER (WHERE event_type = 'generation_completed')::int,
                count(*) FILTER (WHERE event_type = 'generation_failed')::int,
                count(*) FILTER (WHERE event_type = 'generation_started' AND NOT EXISTS (
                    SELECT 1 FROM analytics_events done
                    WHERE done.event_type IN ('generation_completed', 'generation_failed')
                      AND done.properties->>'jobId' = analytics_events.properties->>'jobId'))::int
            FROM analytics_events
            WHERE event_type IN ('generation_started', 'generation_completed', 'generation_failed') AND occurred_at >= @since
            """, new { since }, cancellationToken: cancellationToken));
        return new GenerationQueue(null, row.Running, row.Started, row.Completed, row.Failed);
    }

    public async Task<IReadOnlyList<HourlyKpi>> HourlyAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(DateTime Hour, int Generations, int Captures, int Shares, int Upgrades)>(new CommandDefinition("""
            SELECT date_trunc('hour', occurred_at AT TIME ZONE 'UTC'),
                count(*) FILTER (WHERE event_type = 'generation_completed')::int,
                count(*) FILTER (WHERE event_type = 'lead_captured' AND NOT (properties->>'duplicate')::boolean)::int,
                count(*) FILTER (WHERE event_type = 'share_tracked')::int,
                count(*) FILTER (WHERE event_type = 'site_upgraded')::int
            FROM analytics_events WHERE occurred_at >= @since
            GROUP BY 1 ORDER BY 1
            """, new { since }, cancellationToken: cancellationToken));
        return rows.Select(row => new HourlyKpi(Utc(row.Hour), row.Generations, row.Captures, row.Shares, row.Upgrades)).ToList();
    }

    /// <summary>Generations that used an AI provider in the window, and those where it failed and the built-in writer stood in.</summary>
    public async Task<AiUsage> AiUsageAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<(int Attempts, int Failures)>(new CommandDefinition("""
            SELECT
                count(*) FILTER (WHERE properties->>'model' <> 'template' OR (properties->>'fallbackUsed')::boolean)::int,
                count(*) FILTER (WHERE (properties->>'fallbackUsed')::boolean)::int
            FROM analytics_events WHERE event_type = 'generation_completed' AND occurred_at >= @since
            """, new { since }, cancellationToken: cancellationToken));
        return new AiUsage(row.Attempts, row.Failures);
    }

    /// <summary>
    /// Generation jobs that ended since <paramref name="since"/>, by any path (new sites, owners' and releases'
    /// regenerations), and those that failed for the platform: a repository that does not exist, or a site removed
    /// before its regeneration ran, is the asker's doing, not a failure.
    /// </summary>
    public async Task<(int Ended, int Failed)> GenerationOutcomesAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<(int, int)>(new CommandDefinition("""
            SELECT count(*) FILTER (WHERE event_type <> 'generation_failed' OR properties->>'code' NOT IN ('repo_not_found', 'site_removed'))::int,
                   count(*) FILTER (WHERE event_type = 'generation_failed' AND properties->>'code' NOT IN ('repo_not_found', 'site_removed'))::int
            FROM analytics_events
            WHERE event_type IN ('generation_completed', 'site_regenerated', 'generation_failed') AND occurred_at >= @since
            """, new { since }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// People whose first site was made in [<paramref name="from"/>, <paramref name="to"/>): the launch plan's signups,
    /// counted whether or not they signed in (an account, else the owner token they were given).
    /// </summary>
    public async Task<int> NewSiteOwnersAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
            SELECT count(DISTINCT coalesce(g.properties->>'accountId', g.properties->>'ownerId'))::int
            FROM analytics_events g
            WHERE g.event_type = 'generation_completed' AND g.occurred_at >= @from AND g.occurred_at < @to
              AND NOT EXISTS (SELECT 1 FROM analytics_events p
                              WHERE p.event_type = 'generation_completed' AND p.occurred_at < @from
                                AND coalesce(p.properties->>'accountId', p.properties->>'ownerId') = coalesce(g.properties->>'accountId', g.properties->>'ownerId'))
            """, new { from, to }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The 95th percentile of the generation times (ms) of the sites completed in the window (the smallest time at
    /// least 95 % of them did not exceed), and how many there were, for the p95 generate rule.
    /// </summary>
    public async Task<(double? P95, int Count)> GenerationTimeP95Async(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<(double?, int)>(new CommandDefinition("""
            SELECT percentile_disc(0.95) WITHIN GROUP (ORDER BY (properties->>'generationTimeMs')::double precision), count(*)::int
            FROM analytics_events WHERE event_type = 'generation_completed' AND occurred_at >= @since
            """, new { since }, cancellationToken: cancellationToken));
    }
}
