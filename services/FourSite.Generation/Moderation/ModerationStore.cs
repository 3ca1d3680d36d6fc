using Dapper;
using FourSite.Contracts.Generation;
using FourSite.Generation.Sites;
using Npgsql;

namespace FourSite.Generation.Moderation;

/// <summary>
/// Reports of pages, and operators' suspensions, reinstatements and removals. Each action commits with its audit record
/// and the event the other services act on, or not at all.
/// </summary>
public sealed class ModerationStore(NpgsqlDataSource dataSource, SiteStore sites, ServiceDefaults.Outbox.Outbox outbox, TimeProvider clock)
{
    /// <summary>
    /// Files a report: once per site and network (a repeat changes nothing), and at most <paramref name="perHour"/> a
    /// network an hour (0: no limit).
    /// </summary>
    public async Task<ReportOutcome> ReportAsync(SiteReport report, int perHour, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One network's reports are counted and written one at a time, so a burst cannot slip past the limit.
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtextextended(@Network, 7))", report, transaction, cancellationToken: cancellationToken));
        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM websites WHERE id = @SiteId)", report, transaction, cancellationToken: cancellationToken)))
        {
            return ReportOutcome.SiteNotFound;
        }

        if (perHour > 0)
        {
            var oldest = await connection.QuerySingleAsync<WindowCount>(new CommandDefinition("""
                SELECT count(*) AS Count, min(created_at) AS Oldest FROM site_reports WHERE network = @Network AND created_at > now() - interval '1 hour'
                """, report, transaction, cancellationToken: cancellationToken));
            if (oldest.Count >= perHour)
            {
                return ReportOutcome.TooMany(oldest.RetryAfter(TimeSpan.FromHours(1), clock));
            }
        }

        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO site_reports (id, site_id, network, reason, details, contact, contact_hash)
            VALUES (@Id, @SiteId, @Network, @Reason, @Details, @Contact, @ContactHash)
            ON CONFLICT (site_id, network) DO NOTHING
            """, report, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return ReportOutcome.Accepted;
    }

    /// <summary>
    /// Puts a live site in the moderation queue for a check of the platform's (filed from <c>foursite:{check}</c>), once
    /// while that report is open or kept; false when the site is gone or already raised by that check.
    /// </summary>
    public async Task<bool> RaiseAsync(Guid siteId, string check, string details, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO site_reports (id, site_id, network, reason, details)
            SELECT @id, @siteId, 'foursite:' || @check, 'spam', 'Raised by FourSite: ' || @details
            WHERE EXISTS (SELECT 1 FROM websites WHERE id = @siteId)
            ON CONFLICT (site_id, network) DO NOTHING
            """, new { id = Guid.CreateVersion7(), siteId, check, details }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>
    /// Forgets a person who asked to be: their contact address leaves the reports they filed (on <paramref name="siteId"/>'s
    /// page only, when they erased themselves from one page). The reports stay, without it.
    /// </summary>
    public async Task<int> EraseContactAsync(string personHash, Guid? siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE site_reports SET contact = NULL, contact_hash = NULL
            WHERE contact_hash = @personHash AND (@siteId::uuid IS NULL OR site_id = @siteId)
            """, new { personHash, siteId }, cancellationToken: cancellationToken));
    }

    /// <summary>Sites with open reports, most reported first: the moderation queue.</summary>
    public async Task<IReadOnlyList<QueuedSite>> QueueAsync(bool open, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<QueuedReport>(new CommandDefinition("""
            SELECT r.site_id AS SiteId, w.slug, w.repo_owner || '/' || w.repo_name AS Repository, w.suspension,
                   r.id, r.reason, r.details, r.contact, r.created_at AS CreatedAt, r.resolved_at AS ResolvedAt
            FROM site_reports r JOIN websites w ON w.id = r.site_id
            WHERE (r.resolved_at IS NULL) = @open
            ORDER BY r.created_at DESC
            LIMIT 1000
            """, new { open }, cancellationToken: cancellationToken));
        return rows.GroupBy(row => row.SiteId)
            .Select(site => new QueuedSite(site.Key, site.First().Slug, site.First().Repository, site.First().Suspension, site.Count(),
                site.Max(row => row.CreatedAt), [.. site]))
            .OrderByDescending(site => site.Reports).ThenByDescending(site => site.LastReportedAt)
            .ToList();
    }

    /// <summary>Suspends a site (again, with a new kind or reason, when it already is); false when there is no such site.</summary>
    public async Task<bool> SuspendAsync(Guid siteId, string kind, string reason, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var slug = await SuspendAsync(siteId, kind, reason, transaction, cancellationToken);
        if (slug is null)
        {
            return false;
        }

        await RecordAsync(new ModerationAction("suspend", siteId, $"{slug} ({kind})", reason, actor), transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        return true;
    }

    /// <summary>Suspends a site and queues <see cref="SiteSuspended"/> in the caller's transaction; its slug, or null when there is no such site.</summary>
    public async Task<string?> SuspendAsync(Guid siteId, string kind, string reason, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var slug = await transaction.Connection!.QuerySingleOrDefaultAsync<string>(new CommandDefinition("""
            UPDATE websites SET suspension = @kind, suspension_reason = @reason, suspended_at = @now WHERE id = @siteId RETURNING slug
            """, new { siteId, kind, reason, now }, transaction, cancellationToken: cancellationToken));
        if (slug is not null)
        {
            await ResolveReportsAsync(siteId, transaction, cancellationToken);
            await outbox.PublishAsync(new SiteSuspended(siteId, slug, kind, reason, now), transaction, cancellationToken);
        }

        return slug;
    }

    /// <summary>
    /// Lifts a site's suspension, if it has one, and closes its open reports (an operator looked and kept it up); false
    /// when there is no such site.
    /// </summary>
    public async Task<bool> ReinstateAsync(Guid siteId, string reason, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var found = await connection.QuerySingleOrDefaultAsync<SiteState>(new CommandDefinition(
            "SELECT slug, suspension FROM websites WHERE id = @siteId FOR UPDATE", new { siteId }, transaction, cancellationToken: cancellationToken));
        if (found is null)
        {
            return false;
        }

        if (found.Suspension is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE websites SET suspension = NULL, suspension_reason = NULL, suspended_at = NULL WHERE id = @siteId", new { siteId }, transaction, cancellationToken: cancellationToken));
            await outbox.PublishAsync(new SiteReinstated(siteId, found.Slug, clock.GetUtcNow()), transaction, cancellationToken);
        }

        await ResolveReportsAsync(siteId, transaction, cancellationToken);
        await RecordAsync(new ModerationAction("restore", siteId, found.Slug, reason, actor), transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        return true;
    }

    /// <summary>Removes a site for good, as its owner could; false when it was already gone.</summary>
    public async Task<bool> RemoveAsync(Guid siteId, string reason, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await sites.RemoveAsync(siteId, transaction, cancellationToken) is not { } slug)
        {
            return false;
        }

        await RecordAsync(new ModerationAction("remove", siteId, slug, reason, actor), transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        return true;
    }

    /// <summary>The audit log, newest first.</summary>
    public async Task<IReadOnlyList<RecordedAction>> ActionsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<RecordedAction>(new CommandDefinition("""
            SELECT id, action, site_id AS SiteId, subject, reason, actor, created_at AS CreatedAt
            FROM moderation_actions ORDER BY created_at DESC LIMIT @limit
            """, new { limit }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Adds an action to the audit log in the caller's transaction.</summary>
    public static Task RecordAsync(ModerationAction action, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition("""
            INSERT INTO moderation_actions (id, action, site_id, subject, reason, actor) VALUES (@Id, @Action, @SiteId, @Subject, @Reason, @Actor)
            """, new { Id = Guid.CreateVersion7(), action.Action, action.SiteId, action.Subject, action.Reason, action.Actor }, transaction, cancellationToken: cancellationToken));

    private static Task ResolveReportsAsync(Guid siteId, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        transaction.Connection!.ExecuteAsync(new CommandDefinition(
            "UPDATE site_reports SET resolved_at = now() WHERE site_id = @siteId AND resolved_at IS NULL", new { siteId }, transaction, cancellationToken: cancellationToken));

    private sealed record SiteState(string Slug, string? Suspension);
}
