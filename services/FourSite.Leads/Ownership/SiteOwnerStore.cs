using Dapper;
using FourSite.Leads.Capture;
using FourSite.ServiceDefaults.Access;
using Npgsql;

namespace FourSite.Leads.Ownership;

/// <summary>
/// Who may read each site's leads: its owner-token hash and its account, as learnt from <c>SiteGenerated</c> and
/// <c>SiteOwnerChanged</c> (and forgotten on <c>SiteRemoved</c>).
/// </summary>
public sealed class SiteOwnerStore(NpgsqlDataSource dataSource) : ISiteOwners
{
    /// <summary>Records a site's owner; a repeated event, or one arriving after the removal, changes nothing.</summary>
    public async Task RememberAsync(Guid siteId, Guid ownerId, string ownerTokenHash, Guid? accountId, CancellationToken cancellationToken, SiteName? name = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One round trip, one implicit transaction: the lock is shared with captures, so a removal under way either comes
        // first (and the insert, with a snapshot taken after the lock, sees it) or waits for this.
        await connection.ExecuteAsync(new CommandDefinition($"""
            SELECT pg_advisory_xact_lock_shared({LeadStore.SiteLock});
            INSERT INTO lead_sites (site_id, owner_id, owner_token_hash, account_id, slug, title)
            SELECT @siteId, @ownerId, @ownerTokenHash, @accountId, @slug, @title WHERE NOT EXISTS (SELECT 1 FROM removed_sites WHERE site_id = @siteId)
            ON CONFLICT (site_id) DO UPDATE
            SET owner_id = coalesce(lead_sites.owner_id, excluded.owner_id), slug = coalesce(lead_sites.slug, excluded.slug), title = coalesce(lead_sites.title, excluded.title)
            """, new { siteId, ownerId, ownerTokenHash, accountId, slug = name?.Slug, title = name?.Title }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Applies an owner change (claimed, verified, taken over). An older change arriving after a newer one, a repeated
    /// one, or one for a removed site changes nothing; one arriving before its site is kept for it.
    /// </summary>
    public async Task ChangeOwnerAsync(Guid siteId, Guid? accountId, bool verified, string? ownerTokenHash, DateTimeOffset changedAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition($"SELECT pg_advisory_xact_lock_shared({LeadStore.SiteLock})", new { SiteId = siteId }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO lead_sites (site_id, owner_token_hash, account_id, verified, owner_changed_at)
            SELECT @siteId, @ownerTokenHash, @accountId, @verified, @changedAt WHERE NOT EXISTS (SELECT 1 FROM removed_sites WHERE site_id = @siteId)
            ON CONFLICT (site_id) DO UPDATE
            SET owner_token_hash = excluded.owner_token_hash, account_id = excluded.account_id, verified = excluded.verified, owner_changed_at = excluded.owner_changed_at
            WHERE lead_sites.owner_changed_at IS NULL OR lead_sites.owner_changed_at < excluded.owner_changed_at
            """, new { siteId, ownerTokenHash, accountId, verified, changedAt }, transaction, cancellationToken: cancellationToken));
        // Webhooks go with the access of whoever made them: a token holder's stop when maintainers take the site over.
        await connection.ExecuteAsync(new CommandDefinition("""
            DELETE FROM webhooks w USING lead_sites s
            WHERE w.site_id = @siteId AND s.site_id = w.site_id
              AND NOT (coalesce(w.created_by_account_id = s.account_id, false) OR coalesce(w.created_by_token_hash = s.owner_token_hash, false))
            """, new { siteId }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Drops a removed site (from <c>SiteRemoved</c>), every lead captured on it and everything emailed about it, and keeps its id so no capture is
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
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM webhooks WHERE site_id = @siteId", new { siteId }, transaction, cancellationToken: cancellationToken));
        // Its subscribers, consent records, announcements and emails not yet sent: nothing more is mailed about it.
        await connection.ExecuteAsync(new CommandDefinition("""
            DELETE FROM outgoing_emails WHERE site_id = @siteId;
            DELETE FROM subscriptions WHERE site_id = @siteId;
            DELETE FROM announcements WHERE site_id = @siteId;
            DELETE FROM announcement_settings WHERE site_id = @siteId;
            DELETE FROM lead_notification_settings WHERE site_id = @siteId;
            """, new { siteId }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A site written again keeps its address and may change its name (from <c>SiteRegenerated</c>).</summary>
    public async Task RenameAsync(Guid siteId, SiteName name, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE lead_sites SET slug = @Slug, title = @Title WHERE site_id = @siteId", new { siteId, name.Slug, name.Title }, cancellationToken: cancellationToken));
    }

    async Task<ISiteOwner?> ISiteOwners.FindOwnerAsync(Guid siteId, CancellationToken cancellationToken) => await FindAsync(siteId, cancellationToken);

    /// <summary>Who owns the site; null when it is not known here (never generated, not yet announced, or removed).</summary>
    public async Task<SiteOwner?> FindAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SiteOwner>(new CommandDefinition(
            "SELECT owner_token_hash AS OwnerTokenHash, account_id AS AccountId, verified FROM lead_sites WHERE site_id = @siteId", new { siteId }, cancellationToken: cancellationToken));
    }
}

/// <summary>A site's owner as Leads knows it: lead emails are shown only to a verified owning account.</summary>
public sealed record SiteOwner(string? OwnerTokenHash, Guid? AccountId, bool Verified) : ISiteOwner
{
    public bool ShowsEmailsTo(Guid? account) => Verified && AccountId is not null && AccountId == account;
}

/// <summary>A site's address (<c>/s/{slug}</c>) and name, for the emails about it.</summary>
public sealed record SiteName(string Slug, string Title);
