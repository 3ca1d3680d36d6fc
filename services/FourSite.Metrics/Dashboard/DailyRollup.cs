using System.Text.Json;
using Dapper;
using FourSite.Metrics.Analytics;
using Npgsql;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Metrics.Dashboard;

/// <summary>
/// Rolls a UTC day of business events (and health samples) up into its <c>daily_business_metrics</c> row, and reads
/// rows back. Rolling a day up again replaces its row, so the job may run as often as it likes.
/// </summary>
public sealed class DailyRollup(NpgsqlDataSource dataSource, ViralCoefficientClient viral, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<DailyMetrics> RollUpAsync(DateOnly date, CancellationToken cancellationToken)
    {
        var from = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var day = new { from, to = from.AddDays(1) };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var counts = await connection.QuerySingleAsync<DayCounts>(new CommandDefinition($"""
            SELECT
                {AnalyticsEvents.SignupsSql}::int AS Signups,
                count(*) FILTER (WHERE event_type = 'generation_completed')::int AS Generations,
                count(*) FILTER (WHERE event_type = 'generation_failed')::int AS Failures,
                count(*) FILTER (WHERE event_type = 'lead_captured' AND NOT (properties->>'duplicate')::boolean)::int AS Captures,
                coalesce(avg((properties->>'leadScore')::double precision) FILTER (WHERE event_type = 'lead_captured' AND NOT (properties->>'duplicate')::boolean), 0) AS AvgLeadScore,
                coalesce(avg((properties->>'generationTimeMs')::double precision) FILTER (WHERE event_type = 'generation_completed'), 0) AS AvgGenerationTimeMs
            FROM analytics_events WHERE occurred_at >= @from AND occurred_at < @to
            """, day, cancellationToken: cancellationToken));
        // A site's score that day is its last one; the day's average is over the sites shared that day.
        var avgViralScore = await connection.ExecuteScalarAsync<double>(new CommandDefinition("""
            SELECT coalesce(avg(score), 0) FROM (
                SELECT DISTINCT ON (site_id) (properties->>'viralScore')::double precision AS score
                FROM analytics_events WHERE event_type = 'share_tracked' AND occurred_at >= @from AND occurred_at < @to
                ORDER BY site_id, occurred_at DESC) last_scores
            """, day, cancellationToken: cancellationToken));
        var topPlatforms = (await connection.QueryAsync<PlatformCount>(new CommandDefinition("""
            SELECT properties->>'platform' AS Platform, count(*)::int AS Shares
            FROM analytics_events WHERE event_type = 'share_tracked' AND occurred_at >= @from AND occurred_at < @to
            GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 3
            """, day, cancellationToken: cancellationToken))).ToList();
        var uptime = await connection.ExecuteScalarAsync<double?>(new CommandDefinition(
            "SELECT avg(CASE WHEN healthy THEN 1.0 ELSE 0.0 END) FROM health_samples WHERE sampled_at >= @from AND sampled_at < @to",
            day, cancellationToken: cancellationToken));
        var coefficient = await viral.ForDayAsync(date, cancellationToken);
        var asOf = Min(day.to, clock.GetUtcNow().UtcDateTime);
#pragma warning disable S2077 // Dynamic SQL checked: only constant SQL fragments are interpolated; values are parameters.
        var people = await connection.QuerySingleAsync<DayPeople>(new CommandDefinition($"""
            WITH visits AS (
                SELECT DISTINCT session_id, site_slug IS NOT NULL OR {PathOf("url")} = '/' AS landing
                FROM rum_beacons WHERE occurred_at >= @from AND occurred_at < @to AND session_id IS NOT NULL),
            owners AS (
                SELECT coalesce(g.properties->>'accountId', g.properties->>'ownerId') AS owner, g.site_id
                FROM analytics_events g
                WHERE g.event_type = 'generation_completed' AND g.occurred_at < @asOf
                  AND NOT EXISTS (SELECT 1 FROM analytics_events r WHERE r.event_type = 'site_removed' AND r.site_id = g.site_id AND r.occurred_at < @asOf))
            SELECT
                (SELECT count(DISTINCT session_id) FROM visits WHERE landing)::int AS Visitors,
                (SELECT count(DISTINCT e.session_id) FROM analytics_events e
                 WHERE e.event_type = 'lead_captured' AND NOT (e.properties->>'duplicate')::boolean AND e.occurred_at >= @from AND e.occurred_at < @to
                   AND e.session_id IN (SELECT session_id FROM visits WHERE landing))::int AS LeadVisitors,
                ((SELECT count(DISTINCT session_id) FROM visits)
                 + (SELECT count(DISTINCT properties->>'accountId') FROM analytics_events
                    WHERE occurred_at >= @from AND occurred_at < @to AND properties ? 'accountId'))::int AS DailyActiveUsers,
                (SELECT count(DISTINCT owner) FROM owners)::int AS SiteOwners,
                (SELECT count(DISTINCT o.owner) FROM owners o JOIN site_pro p ON p.site_id = o.site_id
                 WHERE p.pro_since <= @asOf AND p.pro_until > @asOf)::int AS ProOwners
            """, new { day.from, day.to, asOf }, cancellationToken: cancellationToken));
#pragma warning restore S2077

        var ended = counts.Generations + counts.Failures;
        var row = new
        {
            date = date.ToDateTime(TimeOnly.MinValue),
            counts.Signups,
            counts.Generations,
            counts.Captures,
            avgViralScore = Math.Round(avgViralScore, 2),
            viralCoefficient = coefficient?.Coefficient,
            topPlatforms = JsonSerializer.Serialize(topPlatforms, Json),
            generationSuccessRate = ended == 0 ? 0 : Math.Round((double)counts.Generations / ended, 4),
            avgLeadScore = Math.Round(counts.AvgLeadScore, 2),
            avgGenerationTimeMs = Math.Round(counts.AvgGenerationTimeMs, 1),
            uptime = Math.Round(uptime ?? 1, 4),
            now = clock.GetUtcNow(),
            people.Visitors,
            people.LeadVisitors,
            conversionRate = people.Visitors == 0 ? 0 : Math.Round((double)people.LeadVisitors / people.Visitors, 4),
            people.DailyActiveUsers,
            people.SiteOwners,
            people.ProOwners,
            premiumConversion = people.SiteOwners == 0 ? 0 : Math.Round((double)people.ProOwners / people.SiteOwners, 4),
        };
        // When Viral cannot answer, the coefficient already stored stays.
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO daily_business_metrics (date, signups, generations, captures, avg_viral_score, viral_coefficient, top_platforms,
                generation_success_rate, avg_lead_score, avg_generation_time_ms, uptime, updated_at,
                visitors, lead_visitors, conversion_rate, daily_active_users, site_owners, pro_owners, premium_conversion)
            VALUES (@date, @signups, @generations, @captures, @avgViralScore, coalesce(@viralCoefficient, 0), @topPlatforms::jsonb,
                @generationSuccessRate, @avgLeadScore, @avgGenerationTimeMs, @uptime, @now,
                @visitors, @leadVisitors, @conversionRate, @dailyActiveUsers, @siteOwners, @proOwners, @premiumConversion)
            ON CONFLICT (date) DO UPDATE SET signups = EXCLUDED.signups, generations = EXCLUDED.generations, captures = EXCLUDED.captures,
                avg_viral_score = EXCLUDED.avg_viral_score,
                viral_coefficient = coalesce(@viralCoefficient, daily_business_metrics.viral_coefficient),
                top_platforms = EXCLUDED.top_platforms, generation_success_rate = EXCLUDED.generation_success_rate,
                avg_lead_score = EXCLUDED.avg_lead_score, avg_generation_time_ms = EXCLUDED.avg_generation_time_ms,
                uptime = EXCLUDED.uptime, updated_at = EXCLUDED.updated_at,
                visitors = EXCLUDED.visitors, lead_visitors = EXCLUDED.lead_visitors, conversion_rate = EXCLUDED.conversion_rate,
                daily_active_users = EXCLUDED.daily_active_users, site_owners = EXCLUDED.site_owners, pro_owners = EXCLUDED.pro_owners,
                premium_conversion = EXCLUDED.premium_conversion
            """, row, cancellationToken: cancellationToken));
        return (await ReadAsync(date, date, cancellationToken)).Single();
    }

    /// <summary>The stored rows from <paramref name="first"/> to <paramref name="last"/>, oldest first.</summary>
    public async Task<IReadOnlyList<DailyMetrics>> ReadAsync(DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<StoredDay>(new CommandDefinition("""
            SELECT date AS Date, signups AS Signups, generations AS Generations, captures AS Captures, avg_viral_score AS AvgViralScore,
                viral_coefficient AS ViralCoefficient, top_platforms::text AS TopPlatforms, generation_success_rate AS GenerationSuccessRate,
                avg_lead_score AS AvgLeadScore, avg_generation_time_ms AS AvgGenerationTimeMs, uptime AS Uptime, updated_at AS UpdatedAt,
                visitors AS Visitors, lead_visitors AS LeadVisitors, conversion_rate AS ConversionRate, daily_active_users AS DailyActiveUsers,
                site_owners AS SiteOwners, pro_owners AS ProOwners, premium_conversion AS PremiumConversion
            FROM daily_business_metrics WHERE date BETWEEN @first AND @last ORDER BY date
            """, new { first = first.ToDateTime(TimeOnly.MinValue), last = last.ToDateTime(TimeOnly.MinValue) }, cancellationToken: cancellationToken));
        return rows.Select(row => new DailyMetrics(DateOnly.FromDateTime(row.Date), row.Signups, row.Generations, row.Captures, row.AvgViralScore, row.ViralCoefficient,
            JsonSerializer.Deserialize<List<PlatformCount>>(row.TopPlatforms, Json) ?? [], row.GenerationSuccessRate, row.AvgLeadScore, row.AvgGenerationTimeMs,
            row.Uptime, Utc(row.UpdatedAt), row.Visitors, row.LeadVisitors, row.ConversionRate,
            row.DailyActiveUsers, row.SiteOwners, row.ProOwners, row.PremiumConversion)).ToList();
    }

    /// <summary>The days of the last <paramref name="days"/> that have events but no row yet (e.g. before the service first ran).</summary>
    public async Task<IReadOnlyList<DateOnly>> MissingDaysAsync(DateOnly today, int days, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var since = today.AddDays(-(days - 1)).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        // Day by day (at most `days` index probes), not event by event: once rolled up, nothing is missing, cheaply.
        var missing = await connection.QueryAsync<DateTime>(new CommandDefinition("""
            SELECT day::date FROM generate_series(@since::date, @today::date, interval '1 day') AS day
            WHERE NOT EXISTS (SELECT 1 FROM daily_business_metrics d WHERE d.date = day::date)
              AND EXISTS (SELECT 1 FROM analytics_events e
                          WHERE e.occurred_at >= (day AT TIME ZONE 'UTC') AND e.occurred_at < ((day + interval '1 day') AT TIME ZONE 'UTC'))
            """, new { since, today = today.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) }, cancellationToken: cancellationToken));
        return missing.Select(DateOnly.FromDateTime).Order().ToList();
    }

    private sealed class DayCounts
    {
        public int Signups { get; init; }
        public int Generations { get; init; }
        public int Failures { get; init; }
        public int Captures { get; init; }
        public double AvgLeadScore { get; init; }
        public double AvgGenerationTimeMs { get; init; }
    }

    private static DateTime Min(DateTime first, DateTime second) => first < second ? first : second;

    /// <summary>SQL: the path of an absolute URL column (<c>/s/kite?via=x</c> → <c>/s/kite</c>).</summary>
    private static string PathOf(string column) => $"coalesce(substring({column} FROM '^[a-zA-Z]+://[^/?#]+(/[^?#]*)'), '/')";

    private sealed class DayPeople
    {
        public int Visitors { get; init; }
        public int LeadVisitors { get; init; }
        public int DailyActiveUsers { get; init; }
        public int SiteOwners { get; init; }
        public int ProOwners { get; init; }
    }

    private sealed class StoredDay
    {
        public int Visitors { get; init; }
        public int LeadVisitors { get; init; }
        public double ConversionRate { get; init; }
        public int DailyActiveUsers { get; init; }
        public int SiteOwners { get; init; }
        public int ProOwners { get; init; }
        public double PremiumConversion { get; init; }
        public DateTime Date { get; init; }
        public int Signups { get; init; }
        public int Generations { get; init; }
        public int Captures { get; init; }
        public double AvgViralScore { get; init; }
        public double ViralCoefficient { get; init; }
        public string TopPlatforms { get; init; } = "[]";
        public double GenerationSuccessRate { get; init; }
        public double AvgLeadScore { get; init; }
        public double AvgGenerationTimeMs { get; init; }
        public double Uptime { get; init; }
        public DateTime UpdatedAt { get; init; }
    }
}
