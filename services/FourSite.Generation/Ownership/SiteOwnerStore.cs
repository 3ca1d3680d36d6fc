using Dapper;
using FourSite.Contracts.Generation;
using FourSite.ServiceDefaults.Access;
using Npgsql;

namespace FourSite.Generation.Ownership;

/// <summary>Sites' owners in PostgreSQL; every change commits with its <see cref="SiteOwnerChanged"/> announcement.</summary>
public sealed class SiteOwnerStore(NpgsqlDataSource dataSource, ServiceDefaults.Outbox.Outbox outbox, TimeProvider clock) : ISiteOwners
{
    private const string Columns = """
        id AS SiteId, repo_owner AS RepoOwner, repo_name AS RepoName, owner_token_hash AS OwnerTokenHash,
        account_id AS AccountId, verified_permission AS VerifiedPermission
        """;

    public async Task<SiteOwner?> FindAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SiteOwner>(new CommandDefinition(
            $"SELECT {Columns} FROM websites WHERE id = @siteId", new { siteId }, cancellationToken: cancellationToken));
    }

    async Task<ISiteOwner?> ISiteOwners.FindOwnerAsync(Guid siteId, CancellationToken cancellationToken) => await FindAsync(siteId, cancellationToken);

    /// <summary>The account's sites, newest first.</summary>
    public async Task<IReadOnlyList<AccountSite>> ListAsync(Guid accountId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<AccountSite>(new CommandDefinition("""
            SELECT id AS SiteId, slug, site_data->>'title' AS Title, repo_owner AS RepoOwner, repo_name AS RepoName,
                   verified_permission AS VerifiedPermission, created_at AS CreatedAt,
                   suspension, suspension_reason AS SuspensionReason, suspended_at AS SuspendedAt
            FROM websites WHERE account_id = @accountId ORDER BY created_at DESC
            """, new { accountId }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Moves an anonymous site (or one already the account's) into the account; false when another account holds it.</summary>
    public async Task<bool> ClaimAsync(Guid siteId, Guid accountId, CancellationToken cancellationToken) =>
        await ChangeAsync("""
            UPDATE websites SET account_id = @accountId, owner_changed_at = @now
            WHERE id = @siteId AND (account_id IS NULL OR account_id = @accountId)
            """, siteId, accountId, null, cancellationToken) is not null;

    /// <summary>
    /// Marks the site verified for a maintainer of its repository. The owning account's site is verified; an unverified
    /// site of another holder is taken over (its owner token stops working); a site verified by another account stays theirs.
    /// </summary>
    public async Task<VerificationOutcome> VerifyAsync(Guid siteId, Guid accountId, string permission, CancellationToken cancellationToken)
    {
        var before = await FindAsync(siteId, cancellationToken);
        if (before is null)
        {
            return VerificationOutcome.NotFound;
        }

        // Taken over, the site's custom domains go with the previous holder: they proved those domains, not the maintainers.
        var changed = await ChangeAsync("""
            UPDATE websites
            SET owner_token_hash = CASE WHEN account_id IS DISTINCT FROM @accountId THEN NULL ELSE owner_token_hash END,
                account_id = @accountId, verified_permission = @permission, owner_changed_at = @now
            WHERE id = @siteId AND (account_id = @accountId OR verified_permission IS NULL)
            """, siteId, accountId, permission, cancellationToken,
            then: before.AccountId == accountId ? null : "DELETE FROM custom_domains WHERE site_id = @siteId");
        return changed is null ? VerificationOutcome.VerifiedElsewhere
            : before.AccountId == accountId ? VerificationOutcome.Verified
            : VerificationOutcome.TakenOver;
    }

    /// <summary>
    /// Runs one owner update (and <paramref name="then"/> after it, when it matched) and announces the owner it left, in one
    /// transaction; null when the update matched no row.
    /// </summary>
    private async Task<SiteOwner?> ChangeAsync(string update, Guid siteId, Guid accountId, string? permission, CancellationToken cancellationToken, string? then = null)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
#pragma warning disable S2077 // Dynamic SQL checked: the statement and columns are this class's constants; values are parameters.
        var owner = await connection.QuerySingleOrDefaultAsync<SiteOwner>(new CommandDefinition(
            $"{update} RETURNING {Columns}", new { siteId, accountId, permission, now }, transaction, cancellationToken: cancellationToken));
#pragma warning restore S2077
        if (owner is null)
        {
            return null;
        }

        if (then is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(then, new { siteId }, transaction, cancellationToken: cancellationToken));
        }

        await outbox.PublishAsync(new SiteOwnerChanged(siteId, owner.AccountId, owner.Verified, owner.OwnerTokenHash, now), transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        return owner;
    }
}

/// <summary>One of an account's sites, as its dashboard lists them.</summary>
public sealed record AccountSite(Guid SiteId, string Slug, string? Title, string RepoOwner, string RepoName, string? VerifiedPermission, DateTime CreatedAt,
    string? Suspension, string? SuspensionReason, DateTime? SuspendedAt);
