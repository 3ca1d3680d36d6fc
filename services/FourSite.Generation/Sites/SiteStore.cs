using Dapper;
using FourSite.Contracts.Generation;
using FourSite.Generation.Cards;
using FourSite.Generation.Content;
using FourSite.Generation.Moderation;
using FourSite.Generation.Pro;
using FourSite.ServiceDefaults.Outbox;
using Npgsql;

namespace FourSite.Generation.Sites;

/// <summary>Generated sites in PostgreSQL.</summary>
public sealed class SiteStore(NpgsqlDataSource dataSource, ServiceDefaults.Outbox.Outbox outbox, TimeProvider clock)
{
    private const string Columns = """
        id, job_id AS JobId, slug, site_data::text AS SiteData, model, fallback_used AS FallbackUsed, ai_error AS AiError,
        generation_time_ms AS GenerationTimeMs, owner_id AS OwnerId, created_at AS CreatedAt,
        verified_permission IS NOT NULL AS Verified,
        CASE WHEN verified_permission IS NOT NULL THEN (SELECT login FROM accounts WHERE accounts.id = websites.account_id) END AS VerifiedBy,
        suspension, suspension_reason AS SuspensionReason, suspended_at AS SuspendedAt
        """;

    /// <summary>
    /// Stores the site, completes its job and announces <see cref="SiteGenerated"/> in one statement. False when the job
    /// already ended (a redelivered message): nothing is written twice.
    /// </summary>
    public async Task<bool> CreateAsync(NewWebsite site, SiteGenerated announcement, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(site);
        parameters.AddDynamicParams(new { loginLinks = LoginLinkCheck.Name });
        parameters.AddDynamicParams(OutboxRow.For(announcement));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One statement, so one round trip: the job completes only while it runs (a job that ended meanwhile, failed after
        // its retries, keeps that ending and gets no site), and the site, its reports and its announcement follow it.
        var stored = await connection.ExecuteScalarAsync<int>(new CommandDefinition($"""
            WITH completed AS (
                UPDATE generation_jobs
                SET status = 'completed', stage = 'completed', progress = 100, site_id = @Id, updated_at = now(), completed_at = now()
                WHERE id = @JobId AND status = 'running'
                RETURNING review_reason
            ), inserted AS (
                INSERT INTO websites (id, job_id, slug, repo_owner, repo_name, site_data, html, model, fallback_used, ai_error,
                                      generation_time_ms, owner_id, owner_token_hash, account_id)
                SELECT @Id, @JobId, @Slug, @RepoOwner, @RepoName, @SiteData::jsonb, @Html, @Model, @FallbackUsed, @AiError,
                       @GenerationTimeMs, @OwnerId, @OwnerTokenHash, @AccountId
                FROM completed
                ON CONFLICT (job_id) DO NOTHING
                RETURNING id
            ), reported AS (
                -- A site the platform's own checks flagged enters the moderation queue: its request (one of a burst from
                -- one network) or its content (a new repository's page linking to a login form).
                INSERT INTO site_reports (id, site_id, network, reason, details)
                SELECT gen_random_uuid(), inserted.id, 'foursite:' || raised_by, CASE WHEN raised_by = @loginLinks THEN 'phishing' ELSE 'spam' END,
                       'Raised by FourSite: ' || replace(raised_by, '_', ' ')
                FROM inserted, completed, LATERAL (VALUES (completed.review_reason), (@RaisedBy::text)) AS checks (raised_by)
                WHERE raised_by IS NOT NULL
                ON CONFLICT (site_id, network) DO NOTHING
            ), announced AS (
                INSERT INTO {Outbox.InsertTarget} SELECT {Outbox.Values} FROM inserted
            )
            SELECT count(*) FROM inserted
            """, parameters, cancellationToken: cancellationToken));
        if (stored == 0)
        {
            return false;
        }

        outbox.Flush();
        return true;
    }

    /// <summary>
    /// Writes an existing site again in place (same id and slug), keeping the version it replaces, completes the
    /// regeneration job and announces <see cref="SiteRegenerated"/>, in one transaction. False when the job had already
    /// ended (a redelivered message) or the site was removed meanwhile.
    /// </summary>
    public async Task<bool> ReplaceAsync(Guid jobId, Guid siteId, Func<ContentOverrides, (RegeneratedContent Content, SiteRegenerated Announcement)> compose,
        CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var completed = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE generation_jobs
            SET status = 'completed', stage = 'completed', progress = 100, site_id = @siteId, updated_at = now(), completed_at = now()
            WHERE id = @jobId AND status = 'running'
            """, new { jobId, siteId }, transaction, cancellationToken: cancellationToken));
        // The owner's overrides as they stand under the row's lock: an edit made meanwhile is not lost.
        var site = completed == 0 ? default : await connection.QuerySingleOrDefaultAsync<(Guid Id, string? Overrides)>(new CommandDefinition(
            "SELECT id, content_overrides::text FROM websites WHERE id = @siteId FOR UPDATE", new { siteId }, transaction, cancellationToken: cancellationToken));
        if (site == default)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        var (content, announcement) = compose(ContentStore.Read(site.Overrides));
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE websites
            SET previous_site_data = site_data, previous_html = html, previous_model = model,
                site_data = @SiteData::jsonb, written_site_data = @WrittenSiteData::jsonb, html = @Html, model = @Model, fallback_used = @FallbackUsed,
                ai_error = @AiError, regenerated_at = now()
            WHERE id = @SiteId
            """, content, transaction, cancellationToken: cancellationToken));
        await outbox.PublishAsync(announcement, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        return true;
    }

    /// <summary>Deletes the site (its page with it) and announces <see cref="SiteRemoved"/> in one transaction. False when it was already gone.</summary>
    public async Task<bool> RemoveAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await RemoveAsync(siteId, transaction, cancellationToken) is null)
        {
            return false;
        }

        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        return true;
    }

    /// <summary>Deletes the site and queues <see cref="SiteRemoved"/> in the caller's transaction; its slug, or null when it was already gone.</summary>
    public async Task<string?> RemoveAsync(Guid siteId, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var slug = await transaction.Connection!.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "DELETE FROM websites WHERE id = @siteId RETURNING slug", new { siteId }, transaction, cancellationToken: cancellationToken));
        if (slug is not null)
        {
            await outbox.PublishAsync(new SiteRemoved(siteId, slug, clock.GetUtcNow()), transaction, cancellationToken);
        }

        return slug;
    }

    public async Task<Website?> FindAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Website>(new CommandDefinition(
            $"SELECT {Columns} FROM websites WHERE id = @siteId", new { siteId }, cancellationToken: cancellationToken));
    }

    public async Task<Website?> FindBySlugAsync(string slug, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Website>(new CommandDefinition(
            $"SELECT {Columns} FROM websites WHERE slug = @slug", new { slug }, cancellationToken: cancellationToken));
    }

    /// <summary>A site's page, whether the site is Pro now (served without the FourSite badge), and its suspension if any.</summary>
    public async Task<StoredPage?> FindPageAsync(string slug, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<StoredPage>(new CommandDefinition(
            $"""
            SELECT id, html, {ProStatus.IsPro} AS pro, suspension, {SiteCards.ContentHashSql} AS CardHash,
                   (SELECT domain FROM custom_domains WHERE site_id = websites.id AND verified_at IS NOT NULL ORDER BY verified_at LIMIT 1) AS Domain
            FROM websites WHERE slug = @slug
            """, new { slug, now = clock.GetUtcNow() }, cancellationToken: cancellationToken));
    }
}

/// <summary>
/// A site's stored page, whether the site is Pro now, its suspension (<c>abuse</c>, <c>legal</c> or null), its content's
/// card hash and its verified custom domain, if any.
/// </summary>
public sealed record StoredPage(Guid Id, string Html, bool Pro, string? Suspension, string CardHash, string? Domain);

/// <summary>What a regeneration writes over an existing site: the content shown (the writer's with the owner's overrides) and the writer's own.</summary>
public sealed record RegeneratedContent(Guid SiteId, string SiteData, string WrittenSiteData, string Html, string Model, bool FallbackUsed, string? AiError);

/// <summary>What is written for a new site; <see cref="RaisedBy"/> names the check of its content that flagged it for review.</summary>
public sealed record NewWebsite(
    Guid Id,
    Guid JobId,
    string Slug,
    string RepoOwner,
    string RepoName,
    string SiteData,
    string Html,
    string Model,
    bool FallbackUsed,
    string? AiError,
    double GenerationTimeMs,
    Guid OwnerId,
    string OwnerTokenHash,
    Guid? AccountId,
    string? RaisedBy = null);
