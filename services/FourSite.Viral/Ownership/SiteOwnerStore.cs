using Dapper;
using FourSite.ServiceDefaults.Access;
using Npgsql;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Viral.Ownership;

/// <summary>A generated site and its owner (token holder and account), as learnt from <c>SiteGenerated</c> and <c>SiteOwnerChanged</c>.</summary>
public sealed record SiteOwner(Guid SiteId, Guid OwnerId, string? Slug, string? OwnerTokenHash, Guid? AccountId) : ISiteOwner;

/// <summary>Looks up sites and their owners, for owner calls (referral codes, checkout).</summary>
public sealed class SiteOwnerStore(NpgsqlDataSource dataSource)
{
    public async Task<SiteOwner?> FindAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SiteOwner>(new CommandDefinition("""
            SELECT website_id AS SiteId, owner_id AS OwnerId, slug AS Slug, owner_token_hash AS OwnerTokenHash, account_id AS AccountId
            FROM viral_scores WHERE website_id = @siteId AND owner_id IS NOT NULL AND removed_at IS NULL
            """, new { siteId }, cancellationToken: cancellationToken));
    }

    /// <summary>The site an owner token was handed out with.</summary>
    public async Task<SiteOwner?> FindByTokenHashAsync(string ownerTokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SiteOwner>(new CommandDefinition("""
            SELECT website_id AS SiteId, owner_id AS OwnerId, slug AS Slug, owner_token_hash AS OwnerTokenHash, account_id AS AccountId
            FROM viral_scores WHERE owner_token_hash = @ownerTokenHash
            ORDER BY site_created_at LIMIT 1
            """, new { ownerTokenHash }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// When an account's relationship with FourSite began: its first sign-in or its first site, whichever is earlier; null
    /// when the id is no account known here.
    /// </summary>
    public async Task<DateTimeOffset?> AccountRelationshipStartAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var start = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition("""
            SELECT least((SELECT signed_up_at FROM accounts WHERE account_id = @accountId),
                         (SELECT min(site_created_at) FROM viral_scores WHERE account_id = @accountId))
            """, new { accountId }, cancellationToken: cancellationToken));
        return Utc(start);
    }

    /// <summary>Remembers when an account signed up (from <c>AccountSignedUp</c>); a repeated event changes nothing.</summary>
    public async Task RememberAccountAsync(Guid accountId, DateTimeOffset signedUpAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO accounts (account_id, signed_up_at) VALUES (@accountId, @signedUpAt) ON CONFLICT (account_id) DO NOTHING",
            new { accountId, signedUpAt }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Applies an owner change (from <c>SiteOwnerChanged</c>): an older change arriving after a newer one, or one for a
    /// removed site, changes nothing; one arriving before its site is kept for it.
    /// </summary>
    public async Task ChangeOwnerAsync(Guid siteId, Guid? accountId, string? ownerTokenHash, DateTimeOffset changedAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO viral_scores (website_id, account_id, owner_token_hash, owner_changed_at) VALUES (@siteId, @accountId, @ownerTokenHash, @changedAt)
            ON CONFLICT (website_id) DO UPDATE SET account_id = EXCLUDED.account_id, owner_token_hash = EXCLUDED.owner_token_hash, owner_changed_at = EXCLUDED.owner_changed_at
            WHERE viral_scores.removed_at IS NULL AND (viral_scores.owner_changed_at IS NULL OR viral_scores.owner_changed_at < EXCLUDED.owner_changed_at)
            """, new { siteId, accountId, ownerTokenHash, changedAt }, cancellationToken: cancellationToken));
        if (accountId is not null && ownerTokenHash is not null)
        {
            // Claimed by its token holder: what their referral codes for the site earned, and will earn, is the account's to
            // be paid. (A takeover by the repository's maintainers, which ends the token, moves nothing.)
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE referral_codes SET account_id = @accountId WHERE website_id = @siteId AND account_id IS NULL;
                UPDATE commissions SET referrer_account_id = @accountId
                WHERE referrer_account_id IS NULL AND payout_id IS NULL AND referral_code IN (SELECT code FROM referral_codes WHERE website_id = @siteId);
                """, new { siteId, accountId }, cancellationToken: cancellationToken));
        }
    }

    /// <summary>When an owner's relationship with FourSite began: their first site, or null when none is known.</summary>
    public async Task<DateTimeOffset?> RelationshipStartAsync(Guid ownerId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var start = await connection.ExecuteScalarAsync<DateTime?>(new CommandDefinition(
            "SELECT min(site_created_at) FROM viral_scores WHERE owner_id = @ownerId", new { ownerId }, cancellationToken: cancellationToken));
        return Utc(start);
    }
}
