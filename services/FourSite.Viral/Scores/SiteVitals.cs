using Dapper;
using FourSite.Contracts.Metrics;
using Npgsql;

namespace FourSite.Viral.Scores;

/// <summary>
/// Each site's real-user vitals as Metrics assessed them. An assessment older than the one held changes nothing; one
/// that is good features the site if its score (its increments folded) is already over the threshold.
/// </summary>
public sealed class SiteVitals(NpgsqlDataSource dataSource, ScoreFolder folder, HotScores hotScores, ServiceDefaults.Outbox.Outbox outbox, TimeProvider clock)
{
    public async Task RecordAsync(SiteVitalsAssessed vitals, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var sites = (await connection.QueryAsync<Guid>(new CommandDefinition("""
            UPDATE viral_scores
            SET lcp_p75 = @LcpP75, cls_p75 = @ClsP75, inp_p75 = @InpP75, vitals_samples = @Samples,
                vitals_assessment = @Assessment, vitals_assessed_at = @AssessedAt
            WHERE slug = @Slug AND removed_at IS NULL AND (vitals_assessed_at IS NULL OR vitals_assessed_at < @AssessedAt)
            RETURNING website_id
            """, vitals, transaction, cancellationToken: cancellationToken))).ToList();
        var scores = new Dictionary<Guid, double>();
        if (vitals.Assessment == "good")
        {
            foreach (var site in sites)
            {
                if (await folder.FoldAsync(connection, transaction, site, clock.GetUtcNow(), cancellationToken) is { } score)
                {
                    scores[site] = score;
                }
            }
        }

        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        foreach (var (site, score) in scores)
        {
            await hotScores.SetAsync(site, score);
        }
    }
}
