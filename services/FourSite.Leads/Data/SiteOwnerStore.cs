using Dapper;
using Npgsql;

namespace FourSite.Leads.Data;

/// <summary>Which owner-token hash may read each site's leads, as learnt from <c>SiteGenerated</c> (and forgotten on <c>SiteRemoved</c>).</summary>
public sealed class SiteOwnerStore(NpgsqlDataSource dataSource)
{
    /// <summary>Records a site's owner; a repeated event, or one arriving after the removal, changes nothing.</summary>
    public async Task RememberAsync(Guid siteId, Guid ownerId, string ownerTokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Shared with captures, so a removal under way either comes first (and is seen) or waits for this.
        await connection.ExecuteAsync(new CommandDefinition($"SELECT pg_advisory_xact_lock_shared({LeadStore.SiteLock})", new { SiteId = siteId }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO lead_sites (site_id, owner_id, owner_token_hash)
            SELECT @siteId, @ownerId, @ownerTokenHash WHERE NOT EXISTS (SELECT 1 FROM removed_sites WHERE site_id = @siteId)
            ON CONFLICT (site_id) DO NOTHING
            """, new { siteId, ownerId, ownerTokenHash }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Drops a removed site (from <c>SiteRemoved</c>) and every lead captured on it, and keeps its id so no capture is
    /// stored for it again. A repeated event changes nothing.
    /// </summary>
    public async Task ForgetAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Waits for captures of the site already under way (they hold the lock shared), so none lands after the deletes.
        await connection.ExecuteAsync(new CommandDefinition($"SELECT pg_advisory_xact_lock({LeadStore.SiteLock})", new { SiteId = siteId }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO removed_sites (site_id) VALUES (@siteId) ON CONFLICT (site_id) DO NOTHING", new { siteId }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM leads WHERE site_id = @siteId", new { siteId }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM lead_sites WHERE site_id = @siteId", new { siteId }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<string?> OwnerTokenHashAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT owner_token_hash FROM lead_sites WHERE site_id = @siteId", new { siteId }, cancellationToken: cancellationToken));
    }
}
