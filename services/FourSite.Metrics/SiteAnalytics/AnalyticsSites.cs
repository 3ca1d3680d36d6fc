using Dapper;
using FourSite.Contracts.Generation;
using FourSite.ServiceDefaults.Access;
using Npgsql;

namespace FourSite.Metrics.SiteAnalytics;

/// <summary>
/// The sites whose analytics owners read: each one's address (page views name it) and who owns it, as learnt from
/// <c>SiteGenerated</c> and <c>SiteOwnerChanged</c>, until <c>SiteRemoved</c> forgets its analytics.
/// </summary>
public sealed class AnalyticsSites(NpgsqlDataSource dataSource) : ISiteOwners
{
    /// <summary>
    /// Records new sites in one statement; a repeated event, or one arriving after an owner change or the removal, keeps
    /// what came later. A site named twice among them is recorded as its last event names it.
    /// </summary>
    public async Task RememberAsync(IEnumerable<SiteGenerated> generated, CancellationToken cancellationToken)
    {
        var sites = generated.GroupBy(site => site.SiteId).Select(events => events.Last()).ToList();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO analytics_sites (site_id, slug, owner_token_hash, account_id)
            SELECT * FROM unnest(@siteIds, @slugs, @ownerTokenHashes, @accountIds)
            ON CONFLICT (site_id) DO UPDATE SET slug = excluded.slug
            WHERE analytics_sites.removed_at IS NULL
            """, new
        {
            siteIds = sites.Select(site => site.SiteId).ToArray(),
            slugs = sites.Select(site => site.Slug).ToArray(),
            ownerTokenHashes = sites.Select(site => site.OwnerTokenHash).ToArray(),
            accountIds = sites.Select(site => site.AccountId).ToArray(),
        }, cancellationToken: cancellationToken));
    }

    /// <summary>Applies an owner change; an older one arriving after a newer one, or one for a removed site, changes nothing.</summary>
    public async Task ChangeOwnerAsync(Guid siteId, Guid? accountId, string? ownerTokenHash, DateTimeOffset changedAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO analytics_sites (site_id, owner_token_hash, account_id, owner_changed_at) VALUES (@siteId, @ownerTokenHash, @accountId, @changedAt)
            ON CONFLICT (site_id) DO UPDATE
            SET owner_token_hash = excluded.owner_token_hash, account_id = excluded.account_id, owner_changed_at = excluded.owner_changed_at
            WHERE analytics_sites.removed_at IS NULL AND (analytics_sites.owner_changed_at IS NULL OR analytics_sites.owner_changed_at < excluded.owner_changed_at)
            """, new { siteId, accountId, ownerTokenHash, changedAt }, cancellationToken: cancellationToken));
    }

    /// <summary>Forgets a removed site's owners and its analytics (its rollups); its id stays so nothing brings it back.</summary>
    public async Task ForgetAsync(Guid siteId, DateTimeOffset removedAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO analytics_sites (site_id, removed_at) VALUES (@siteId, @removedAt)
            ON CONFLICT (site_id) DO UPDATE SET owner_token_hash = NULL, account_id = NULL, removed_at = coalesce(analytics_sites.removed_at, excluded.removed_at);
            DELETE FROM site_traffic_daily WHERE site_id = @siteId;
            DELETE FROM site_breakdowns_daily WHERE site_id = @siteId;
            DELETE FROM site_shares_daily WHERE site_id = @siteId;
            DELETE FROM site_vitals_daily WHERE site_id = @siteId;
            """, new { siteId, removedAt }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<ISiteOwner?> FindOwnerAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AnalyticsSiteOwner>(new CommandDefinition("""
            SELECT owner_token_hash AS OwnerTokenHash, account_id AS AccountId FROM analytics_sites
            WHERE site_id = @siteId AND removed_at IS NULL AND slug IS NOT NULL
            """, new { siteId }, cancellationToken: cancellationToken));
    }

    private sealed record AnalyticsSiteOwner(string? OwnerTokenHash, Guid? AccountId) : ISiteOwner;
}
