using Dapper;
using FourSite.Contracts.Viral;
using FourSite.Viral.Showcase;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FourSite.Viral.Scores;

/// <summary>
/// Folds a site's increments into its record: the counters and share points, its shares per platform and its score.
/// It announces the share milestones the fold crossed, and features the site the first time it is over the threshold
/// with good real-user vitals. Folds of one site are ordered by its row lock, which events never wait on.
/// </summary>
public sealed class ScoreFolder(ServiceDefaults.Outbox.Outbox outbox, IOptions<ViralOptions> options, ViralTelemetry telemetry, HotScores hotScores)
{
    public const string SelectCounters = """
        SELECT shares AS Shares, visits_from_shares AS Visits, leads_from_shares AS Leads, share_points AS SharePoints, share_points_at AS SharePointsAt
        FROM viral_scores WHERE website_id = @websiteId AND removed_at IS NULL
        """;

    public const string IncrementColumns = "platform AS Platform, shares AS Shares, visits AS Visits, leads AS Leads, share_points AS SharePoints, share_points_at AS SharePointsAt";

    /// <summary>The share counts announced as milestones (to the owner's webhooks).</summary>
    public static readonly IReadOnlySet<int> ShareMilestones = new HashSet<int> { 10, 100, 1_000 };

    /// <summary>Folds one site in its own transaction; its new score goes to the hot copy once committed.</summary>
    public async Task FoldAsync(NpgsqlDataSource dataSource, Guid websiteId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var score = await FoldAsync(connection, transaction, websiteId, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        if (score is { } folded)
        {
            await hotScores.SetAsync(websiteId, folded);
        }
    }

    /// <returns>The site's score as of now; null when it was removed (its increments are dropped).</returns>
    public async Task<double?> FoldAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid websiteId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var site = await connection.QuerySingleOrDefaultAsync<ScoreCounters>(new CommandDefinition(
            $"{SelectCounters} FOR NO KEY UPDATE", new { websiteId }, transaction, cancellationToken: cancellationToken));
        var increments = (await connection.QueryAsync<ScoreCounters>(new CommandDefinition(
            $"DELETE FROM score_increments WHERE website_id = @websiteId RETURNING {IncrementColumns}", new { websiteId }, transaction, cancellationToken: cancellationToken))).ToList();
        if (site is null)
        {
            return null;
        }

        var folded = site.Plus(increments, now);
        var score = folded.Score;
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE viral_scores SET shares = @Shares, visits_from_shares = @Visits, leads_from_shares = @Leads,
                share_points = @SharePoints, share_points_at = @SharePointsAt, score = @score, updated_at = now()
            WHERE website_id = @websiteId
            """, new { folded.Shares, folded.Visits, folded.Leads, folded.SharePoints, folded.SharePointsAt, score, websiteId }, transaction, cancellationToken: cancellationToken));
        var byPlatform = increments.Where(increment => increment.Shares != 0).GroupBy(increment => increment.Platform)
            .Select(platform => (Platform: platform.Key, Shares: platform.Sum(increment => increment.Shares))).ToList();
        if (byPlatform.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO share_counts (website_id, platform, shares)
                SELECT @websiteId, platform, shares FROM unnest(@platforms, @counts) AS added (platform, shares)
                ON CONFLICT (website_id, platform) DO UPDATE SET shares = greatest(share_counts.shares + EXCLUDED.shares, 0)
                """, new { websiteId, platforms = byPlatform.Select(row => row.Platform).ToArray(), counts = byPlatform.Select(row => row.Shares).ToArray() },
                transaction, cancellationToken: cancellationToken));
        }

        foreach (var milestone in ShareMilestones.Where(milestone => site.Shares < milestone && folded.Shares >= milestone).Order())
        {
            await outbox.PublishAsync(new ShareMilestoneReached(websiteId, milestone, now), transaction, cancellationToken);
        }

        await FeatureIfCrossedAsync(connection, transaction, websiteId, score, now, cancellationToken);
        if (increments.Count > 0)
        {
            telemetry.Folded(increments.Count);
            telemetry.Scored(score);
        }

        return score;
    }

    /// <summary>
    /// Features a site the first time its score reaches the threshold while real users find it fast (its vitals are
    /// assessed good), unless an operator withheld it. The unique site key of <c>auto_featuring_events</c> makes it
    /// happen once, however many folds cross the line together.
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
