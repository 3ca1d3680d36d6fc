using Dapper;
using FourSite.Contracts.Metrics;
using Npgsql;

namespace FourSite.Viral.Scores;

/// <summary>
/// Each site's real-user vitals as Metrics assessed them. An assessment older than the one held changes nothing; one
/// that is good features the site if its score is already over the threshold.
/// </summary>
public sealed class SiteVitals(NpgsqlDataSource dataSource, ScoreRecorder scores, ServiceDefaults.Outbox.Outbox outbox)
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
        if (vitals.Assessment == "good")
        {
            foreach (var site in sites)
            {
                await scores.FeatureIfDueAsync(connection, transaction, site, vitals.AssessedAt, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
    }
}
