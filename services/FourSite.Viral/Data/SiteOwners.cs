using Dapper;
using Npgsql;

namespace FourSite.Viral.Data;

/// <summary>A generated site and its owner, as learnt from <c>SiteGenerated</c>.</summary>
public sealed record SiteOwner(Guid SiteId, Guid OwnerId, string? Slug, string OwnerTokenHash);

/// <summary>Looks up sites and their owners, for owner calls (referral codes, checkout).</summary>
public sealed class SiteOwners(NpgsqlDataSource dataSource)
{
    public async Task<SiteOwner?> FindAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SiteOwner>(new CommandDefinition("""
            SELECT website_id AS SiteId, owner_id AS OwnerId, slug AS Slug, owner_token_hash AS OwnerTokenHash
            FROM viral_scores WHERE website_id = @siteId AND owner_token_hash IS NOT NULL
            """, new { siteId }, cancellationToken: cancellationToken));
    }

    /// <summary>The site an owner token was handed out with.</summary>
    public async Task<SiteOwner?> FindByTokenHashAsync(string ownerTokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SiteOwner>(new CommandDefinition("""
            SELECT website_id AS SiteId, owner_id AS OwnerId, slug AS Slug, owner_token_hash AS OwnerTokenHash
            FROM viral_scores WHERE owner_token_hash = @ownerTokenHash
            ORDER BY site_created_at LIMIT 1
            """, new { ownerTokenHash }, cancellationToken: cancellationToken));
    }

    /// <summary>When an owner's relationship with FourSite began: their first site, or null when none is known.</summary>
    public async Task<DateTimeOffset?> RelationshipStartAsync(Guid ownerId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var start = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT min(site_created_at) FROM viral_scores WHERE owner_id = @ownerId", new { ownerId }, cancellationToken: cancellationToken));
        return start is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)) : null;
    }
}
