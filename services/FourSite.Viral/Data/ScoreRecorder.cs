using Dapper;
using FourSite.Contracts.Viral;
using FourSite.Viral.Scoring;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FourSite.Viral.Data;

/// <summary>What an event adds to a site's counters (a removal is negative).</summary>
public readonly record struct ScoreChange(int Shares = 0, int Visits = 0, int Leads = 0);

/// <summary>
/// Keeps a site's viral record: applies an event's change to its counters, recomputes the score in the event's own
/// transaction (the site's row lock orders concurrent events) and features the site the first time it crosses the
/// threshold.
/// </summary>
public sealed class ScoreRecorder(ServiceDefaults.Outbox.Outbox outbox, IOptions<ViralOptions> options, ViralTelemetry telemetry)
{
    /// <summary>Older shares have faded below a hundredth of their weight and are left out of the score.</summary>
    private static readonly TimeSpan ScoredWindow = TimeSpan.FromDays(100);

    public async Task<double> RecordAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid websiteId, ScoreChange change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var site = await connection.QuerySingleAsync<(int Visits, int Leads)>(new CommandDefinition("""
            INSERT INTO viral_scores (website_id, shares, visits_from_shares, leads_from_shares)
            VALUES (@websiteId, greatest(@shares, 0), greatest(@visits, 0), greatest(@leads, 0))
            ON CONFLICT (website_id) DO UPDATE SET
                shares = greatest(viral_scores.shares + @shares, 0),
                visits_from_shares = greatest(viral_scores.visits_from_shares + @visits, 0),
                leads_from_shares = greatest(viral_scores.leads_from_shares + @leads, 0)
            RETURNING visits_from_shares, leads_from_shares
            """, new { websiteId, shares = change.Shares, visits = change.Visits, leads = change.Leads }, transaction, cancellationToken: cancellationToken));
        var score = ViralScoreCalculator.Score(await RecentSharesAsync(connection, transaction, websiteId, now, cancellationToken), site.Visits, site.Leads, now);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE viral_scores SET score = @score, updated_at = now() WHERE website_id = @websiteId",
            new { score, websiteId }, transaction, cancellationToken: cancellationToken));
        await FeatureIfCrossedAsync(connection, transaction, websiteId, score, now, cancellationToken);
        telemetry.Scored(score);
        return score;
    }

    /// <summary>The shares that still count towards a site's score.</summary>
    public static async Task<IEnumerable<(string Platform, DateTimeOffset At)>> RecentSharesAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid websiteId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(string Platform, DateTime At)>(new CommandDefinition(
            "SELECT platform, created_at FROM shares WHERE website_id = @websiteId AND created_at > @since",
            new { websiteId, since = now - ScoredWindow }, transaction, cancellationToken: cancellationToken));
        return rows.Select(row => (row.Platform, new DateTimeOffset(DateTime.SpecifyKind(row.At, DateTimeKind.Utc))));
    }

    /// <summary>
    /// Features a site the first time its score reaches the threshold. The unique site key of
    /// <c>auto_featuring_events</c> makes it happen once, however many events cross the line together.
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
            VALUES (@id, @websiteId, @score, @threshold, @now)
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
