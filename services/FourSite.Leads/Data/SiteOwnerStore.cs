using Dapper;
using Npgsql;

namespace FourSite.Leads.Data;

/// <summary>Which owner-token hash may read each site's leads, as learnt from <c>SiteGenerated</c>.</summary>
public sealed class SiteOwnerStore(NpgsqlDataSource dataSource)
{
    /// <summary>Records a site's owner; a repeated event changes nothing.</summary>
    public async Task RememberAsync(Guid siteId, Guid ownerId, string ownerTokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO lead_sites (site_id, owner_id, owner_token_hash) VALUES (@siteId, @ownerId, @ownerTokenHash)
            ON CONFLICT (site_id) DO NOTHING
            """, new { siteId, ownerId, ownerTokenHash }, cancellationToken: cancellationToken));
    }

    public async Task<string?> OwnerTokenHashAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT owner_token_hash FROM lead_sites WHERE site_id = @siteId", new { siteId }, cancellationToken: cancellationToken));
    }
}
