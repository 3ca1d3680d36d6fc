using System.Diagnostics;
using Dapper;
using FourSite.Contracts.Viral;
using FourSite.Viral.Showcase;
using Microsoft.Extensions.Options;
using FourSite.ServiceDefaults.Telemetry;
using Npgsql;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Viral.Scores;

/// <summary>What an event adds to a site's counters (a removal is negative); a share brings its platform's points.</summary>
public readonly record struct ScoreChange(int Shares = 0, int Visits = 0, int Leads = 0, double SharePoints = 0)
{
    public static ScoreChange Share(string platform) => new(Shares: 1, SharePoints: ViralScoreCalculator.PlatformWeights.GetValueOrDefault(platform, 0));
}

/// <summary>
/// Keeps a site's viral record: applies an event's change to its counters, recomputes the score in the event's own
/// transaction (the site's row lock orders concurrent events), announces share milestones, and features the site the
/// first time it is over the threshold with good real-user vitals.
/// </summary>
public sealed class ScoreRecorder(ServiceDefaults.Outbox.Outbox outbox, IOptions<ViralOptions> options, ViralTelemetry telemetry, TimingSignals timings)
{
    /// <summary>The share counts announced as milestones (to the owner's webhooks).</summary>
    public static readonly IReadOnlySet<int> ShareMilestones = new HashSet<int> { 10, 100, 1_000 };

    /// <returns>The new score; null when the site was removed, and then nothing may be counted: the caller rolls back.</returns>
    /// <remarks>Timed (the histogram <c>foursite.viral.score_calculation.duration</c> and Metrics' rule on its 10-minute average).</remarks>
    public async Task<double?> RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid websiteId, ScoreChange change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var score = await CalculateAsync(connection, transaction, websiteId, change, now, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        telemetry.Calculated(elapsed);
        timings.Record(TimingSignals.ViralScoreCalculation, elapsed);
        return score;
    }

    private async Task<double?> CalculateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid websiteId, ScoreChange change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The running sum of share points fades to now before the new share's weight joins it. A removed site's row is
        // locked but left as it is, and returns nothing.
        var sites = await connection.QueryAsync<(int Shares, int Visits, int Leads, double SharePoints)>(new CommandDefinition("""
            INSERT INTO viral_scores (website_id, shares, visits_from_shares, leads_from_shares, share_points, share_points_at)
            VALUES (@websiteId, greatest(@shares, 0), greatest(@visits, 0), greatest(@leads, 0), @points, @now)
            ON CONFLICT (website_id) DO UPDATE SET
                shares = greatest(viral_scores.shares + @shares, 0),
                visits_from_shares = greatest(viral_scores.visits_from_shares + @visits, 0),
                leads_from_shares = greatest(viral_scores.leads_from_shares + @leads, 0),
                share_points = viral_scores.share_points
                    * power(0.5, greatest(extract(epoch FROM @now - viral_scores.share_points_at), 0) / @halfLifeSeconds) + @points,
                share_points_at = greatest(viral_scores.share_points_at, @now)
            WHERE viral_scores.removed_at IS NULL
            RETURNING shares, visits_from_shares, leads_from_shares, share_points
            """, new
        {
            websiteId,
            shares = change.Shares,
            visits = change.Visits,
            leads = change.Leads,
            points = change.SharePoints,
            now,
            halfLifeSeconds = ViralScoreCalculator.HalfLife.TotalSeconds,
        }, transaction, cancellationToken: cancellationToken));
        if (sites.ToList() is not [var counters])
        {
            return null;
        }

        var score = ViralScoreCalculator.FromParts(counters.SharePoints, counters.Visits, counters.Leads);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE viral_scores SET score = @score, updated_at = now() WHERE website_id = @websiteId",
            new { score, websiteId }, transaction, cancellationToken: cancellationToken));
        await FeatureIfCrossedAsync(connection, transaction, websiteId, score, now, cancellationToken);
        if (change.Shares > 0 && ShareMilestones.Contains(counters.Shares))
        {
            await outbox.PublishAsync(new ShareMilestoneReached(websiteId, counters.Shares, now), transaction, cancellationToken);
        }

        telemetry.Scored(score);
        return score;
    }

    /// <summary>
    /// Features a site whose vitals just turned good, if its score (as of now) is over the threshold: a site that crossed
    /// it while its vitals were still being gathered is featured once they arrive.
    /// </summary>
    public async Task FeatureIfDueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid websiteId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var site = await connection.QuerySingleOrDefaultAsync<(int Visits, int Leads, double SharePoints, DateTime PointsAt)>(new CommandDefinition("""
            SELECT visits_from_shares, leads_from_shares, share_points, share_points_at FROM viral_scores
            WHERE website_id = @websiteId AND removed_at IS NULL FOR UPDATE
            """, new { websiteId }, transaction, cancellationToken: cancellationToken));
        if (site == default)
        {
            return;
        }

        var points = site.SharePoints * ViralScoreCalculator.Fade(now - Utc(site.PointsAt));
        await FeatureIfCrossedAsync(connection, transaction, websiteId, ViralScoreCalculator.FromParts(points, site.Visits, site.Leads), now, cancellationToken);
    }

    /// <summary>
    /// Features a site the first time its score reaches the threshold while real users find it fast (its vitals are
    /// assessed good), unless an operator withheld it. The unique site key of <c>auto_featuring_events</c> makes it
    /// happen once, however many events cross the line together.
    /// </summary>
    private async Task FeatureIfCrossedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid websiteId, double score, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var threshold = options.Value.FeatureThreshold;
        if (score < threshold)
        {
            return;
        }

        var featured = await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO auto_featuring_events (id, website_id, viral_score, threshold, featured_at)
            SELECT @id, @websiteId, @score, @threshold, @now
            WHERE EXISTS (SELECT 1 FROM viral_scores WHERE website_id = @websiteId AND showcase_withheld_at IS NULL AND vitals_assessment = 'good')
            ON CONFLICT (website_id) DO NOTHING
            """, new { id = Guid.CreateVersion7(), websiteId, score, threshold, now }, transaction, cancellationToken: cancellationToken));
        if (featured == 0)
        {
            return;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE viral_scores SET featured = true WHERE website_id = @websiteId", new { websiteId }, transaction, cancellationToken: cancellationToken));
        await outbox.PublishAsync(new SiteFeatured(websiteId, score, threshold, now), transaction, cancellationToken);
        telemetry.Featured();
    }
}
