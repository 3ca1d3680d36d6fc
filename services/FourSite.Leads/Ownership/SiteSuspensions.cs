using Dapper;
using FourSite.Leads.Email;
using Npgsql;

namespace FourSite.Leads.Ownership;

/// <summary>
/// Operators' suspensions of sites, as Generation announces them: a suspended site captures no lead, and its owning
/// account hears why at its verified notification address. The latest decision wins, whatever order the events arrive in.
/// </summary>
public sealed class SiteSuspensions(NpgsqlDataSource dataSource, EmailQueue emails)
{
    /// <summary>Records a suspension (<paramref name="kind"/> set) or a reinstatement (null) unless a newer decision is already recorded.</summary>
    public async Task ApplyAsync(Guid siteId, string? kind, string? reason, DateTimeOffset changedAt, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // True when the decision is newer and changes the site's state (a repeat, or a reinstatement of a live site, is told to nobody).
        var changed = await connection.QuerySingleOrDefaultAsync<bool>(new CommandDefinition("""
            WITH previous AS (SELECT kind FROM suspended_sites WHERE site_id = @siteId)
            INSERT INTO suspended_sites (site_id, kind, changed_at) VALUES (@siteId, @kind, @changedAt)
            ON CONFLICT (site_id) DO UPDATE SET kind = excluded.kind, changed_at = excluded.changed_at
            WHERE suspended_sites.changed_at < excluded.changed_at
            RETURNING (SELECT kind FROM previous) IS DISTINCT FROM @kind
            """, new { siteId, kind, changedAt }, transaction, cancellationToken: cancellationToken));
        if (changed)
        {
            var owner = await connection.QuerySingleOrDefaultAsync<OwnerAddress>(new CommandDefinition("""
                SELECT a.email, a.email_normalized AS EmailNormalized, coalesce(s.title, s.slug, 'your site') AS Project, s.slug
                FROM lead_sites s JOIN notification_addresses a ON a.account_id = s.account_id AND a.verified_at IS NOT NULL
                WHERE s.site_id = @siteId
                """, new { siteId }, transaction, cancellationToken: cancellationToken));
            if (owner is not null)
            {
                await emails.AddAsync(connection, transaction, new NewEmail(
                    kind is null ? EmailKinds.SiteReinstated : EmailKinds.SiteSuspended, owner.Email, owner.EmailNormalized, siteId,
                    new SiteModerationPayload(owner.Project, owner.Slug, kind, reason)), cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        emails.Flush();
    }

    private sealed record OwnerAddress(string Email, string EmailNormalized, string Project, string? Slug);
}
