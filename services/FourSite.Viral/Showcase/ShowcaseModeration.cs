using Dapper;
using Npgsql;

namespace FourSite.Viral.Showcase;

/// <summary>
/// The operator's hand on the public showcase: a withheld site leaves it and is not featured again however its score
/// grows. Its shares, score and history stay.
/// </summary>
public sealed class ShowcaseModeration(NpgsqlDataSource dataSource)
{
    /// <returns>False when the site is unknown here (no share and no <c>SiteGenerated</c> seen).</returns>
    public async Task<bool> WithholdAsync(Guid websiteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var known = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE viral_scores SET featured = false, showcase_withheld_at = coalesce(showcase_withheld_at, now())
            WHERE website_id = @websiteId
            """, new { websiteId }, cancellationToken: cancellationToken));
        return known > 0;
    }
}
