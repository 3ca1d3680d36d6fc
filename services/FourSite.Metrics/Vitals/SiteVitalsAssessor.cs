using Dapper;
using FourSite.Contracts.Metrics;
using FourSite.Metrics.Scheduling;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FourSite.Metrics.Vitals;

/// <summary>
/// On a schedule (one replica per interval), assesses the real-user Core Web Vitals of every generated site that got
/// beacons since the last round, over the last 7 days, and announces each assessment (Viral features only sites whose
/// vitals are good). A round that finds no new beacons announces nothing.
/// </summary>
public sealed partial class SiteVitalsAssessor(
    NpgsqlDataSource dataSource,
    ServiceDefaults.Outbox.Outbox outbox,
    ScheduledRuns schedule,
    IOptions<MetricsOptions> options,
    TimeProvider clock,
    ILogger<SiteVitalsAssessor> logger) : ScheduledJob(schedule, logger)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(7);

    protected override string Name => "site-vitals";

    protected override TimeSpan Interval => options.Value.VitalsInterval;

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Sites with beacons received since the last assessment (and a minute before it, for writes that were committing then).
        var sites = (await connection.QueryAsync<(string Slug, double? Lcp, double? Cls, double? Inp, int Samples)>(new CommandDefinition("""
            WITH touched AS (
                SELECT DISTINCT site_slug FROM rum_beacons
                WHERE site_slug IS NOT NULL AND received_at > coalesce((SELECT max(assessed_at) FROM site_vitals), '-infinity'::timestamptz) - @slack)
            SELECT b.site_slug,
                   percentile_cont(0.75) WITHIN GROUP (ORDER BY b.lcp_ms),
                   percentile_cont(0.75) WITHIN GROUP (ORDER BY b.cls),
                   percentile_cont(0.75) WITHIN GROUP (ORDER BY b.inp_ms),
                   count(*)::int
            FROM rum_beacons b JOIN touched USING (site_slug)
            WHERE b.type = 'core_web_vitals' AND b.occurred_at > @since
              AND (b.lcp_ms IS NOT NULL OR b.cls IS NOT NULL OR b.inp_ms IS NOT NULL)
            GROUP BY b.site_slug
            """, new { since = now - Window, slack = TimeSpan.FromMinutes(1) }, transaction, cancellationToken: cancellationToken))).ToList();

        foreach (var site in sites)
        {
            var assessment = VitalsAssessment.Of(site.Lcp, site.Cls, site.Inp, site.Samples);
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO site_vitals (site_slug, lcp_p75, cls_p75, inp_p75, samples, assessment, assessed_at)
                VALUES (@Slug, @Lcp, @Cls, @Inp, @Samples, @assessment, @now)
                ON CONFLICT (site_slug) DO UPDATE
                SET lcp_p75 = excluded.lcp_p75, cls_p75 = excluded.cls_p75, inp_p75 = excluded.inp_p75, samples = excluded.samples,
                    assessment = excluded.assessment, assessed_at = excluded.assessed_at
                """, new { site.Slug, site.Lcp, site.Cls, site.Inp, site.Samples, assessment, now }, transaction, cancellationToken: cancellationToken));
            await outbox.PublishAsync(new SiteVitalsAssessed(site.Slug, site.Lcp, site.Cls, site.Inp, site.Samples, assessment, now), transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        if (sites.Count > 0)
        {
            LogAssessed(logger, sites.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Assessed the real-user vitals of {Sites} sites")]
    private static partial void LogAssessed(ILogger logger, int sites);
}
