using System.Diagnostics;
using Dapper;
using FourSite.ServiceDefaults.Telemetry;
using Npgsql;

namespace FourSite.Viral.Scores;

/// <summary>What an event adds to a site's counters (a removal is negative); a share brings its platform's points.</summary>
public readonly record struct ScoreChange(int Shares = 0, int Visits = 0, int Leads = 0, double SharePoints = 0, string Platform = "")
{
    public static ScoreChange Share(string platform) =>
        new(Shares: 1, SharePoints: ViralScoreCalculator.PlatformWeights.GetValueOrDefault(platform, 0), Platform: platform);
}

/// <summary>
/// Counts an event for a site in the event's own transaction, as an increment in one of <see cref="Slots"/> rows per
/// site and platform, so events of one site do not wait on each other; <see cref="ScoreFolder"/> folds the increments
/// into the site's record. The site's row is only share-locked, which keeps its removal from slipping in between.
/// </summary>
public sealed class ScoreRecorder(ViralTelemetry telemetry, TimingSignals timings)
{
    /// <summary>Increment rows per site and platform: concurrent events of one site rarely pick the same one.</summary>
    public const int Slots = 8;

    /// <returns>The new score; null when the site was removed, and then nothing may be counted: the caller rolls back.</returns>
    /// <remarks>Timed (the histogram <c>foursite.viral.score_calculation.duration</c> and Metrics' rule on its 10-minute average).</remarks>
    public async Task<double?> RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid websiteId, ScoreChange change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var score = await CountAsync(connection, transaction, websiteId, change, now, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        telemetry.Calculated(elapsed);
        timings.Record(TimingSignals.ViralScoreCalculation, elapsed);
        if (score is { } scored)
        {
            telemetry.Scored(scored);
        }

        return score;
    }

    /// <summary>
    /// One round trip: the site's row (made for a site not announced yet), share-locked unless removed; the change added
    /// to its increment row; and every increment of the site, this one as it now stands.
    /// </summary>
    private static async Task<double?> CountAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid websiteId, ScoreChange change, DateTimeOffset now, CancellationToken cancellationToken)
    {
#pragma warning disable CA5394 // The slot only spreads events over rows; nothing depends on it being unpredictable.
        var slot = (short)Random.Shared.Next(Slots);
#pragma warning restore CA5394
        using var results = await connection.QueryMultipleAsync(new CommandDefinition($"""
            INSERT INTO viral_scores (website_id, share_points_at) VALUES (@websiteId, @now) ON CONFLICT (website_id) DO NOTHING;
            {ScoreFolder.SelectCounters} FOR KEY SHARE;
            WITH added AS (
                INSERT INTO score_increments (website_id, platform, slot, shares, visits, leads, share_points, share_points_at)
                SELECT @websiteId, @platform, @slot, @shares, @visits, @leads, @points, @now
                WHERE EXISTS (SELECT 1 FROM viral_scores WHERE website_id = @websiteId AND removed_at IS NULL)
                ON CONFLICT (website_id, platform, slot) DO UPDATE SET
                    shares = score_increments.shares + EXCLUDED.shares,
                    visits = score_increments.visits + EXCLUDED.visits,
                    leads = score_increments.leads + EXCLUDED.leads,
                    share_points = score_increments.share_points
                        * power(0.5, greatest(extract(epoch FROM EXCLUDED.share_points_at - score_increments.share_points_at), 0) / @halfLifeSeconds)
                        + EXCLUDED.share_points,
                    share_points_at = greatest(score_increments.share_points_at, EXCLUDED.share_points_at)
                RETURNING {ScoreFolder.IncrementColumns})
            SELECT * FROM added
            UNION ALL
            SELECT {ScoreFolder.IncrementColumns} FROM score_increments
            WHERE website_id = @websiteId AND NOT (platform = @platform AND slot = @slot);
            """, new
        {
            websiteId,
            platform = change.Platform,
            slot,
            shares = change.Shares,
            visits = change.Visits,
            leads = change.Leads,
            points = change.SharePoints,
            now,
            halfLifeSeconds = ViralScoreCalculator.HalfLife.TotalSeconds,
        }, transaction, cancellationToken: cancellationToken));
        var site = await results.ReadSingleOrDefaultAsync<ScoreCounters>();
        var increments = (await results.ReadAsync<ScoreCounters>()).ToList();
        return site?.Plus(increments, now).Score;
    }
}
