using Dapper;
using FourSite.Contracts.Generation;
using FourSite.Generation.Pipeline;
using Microsoft.Extensions.Options;
using Npgsql;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Generation.Regeneration;

/// <summary>
/// Queues regenerations of existing sites (a job that writes the site again in place) and brings back the version a
/// regeneration replaced. Each job commits with its queued command.
/// </summary>
public sealed class RegenerationStore(NpgsqlDataSource dataSource, JobStore jobs, ServiceDefaults.Outbox.Outbox outbox, IOptions<RegenerationOptions> options, TimeProvider clock)
{
    public const string OwnerReason = "owner";
    public const string ReleaseReason = "release";
    public const string RestoredReason = "restored";

    /// <summary>An owner's regeneration: one at a time per site, and a few an hour.</summary>
    public async Task<RegenerationRequest> RequestAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The site's row lock orders its owner's requests, so two at once cannot both pass the checks.
        var site = await LockSiteAsync(connection, transaction, siteId, cancellationToken);
        if (site is null)
        {
            return new RegenerationRequest(null, RegenerationRefusal.SiteNotFound, null);
        }

        var recent = await connection.QuerySingleAsync<(int UnderWay, int LastHour, DateTime? OldestInHour)>(new CommandDefinition("""
            SELECT count(*) FILTER (WHERE status IN ('queued', 'running'))::int,
                   count(*) FILTER (WHERE created_at > now() - interval '1 hour' AND reason = @reason)::int,
                   min(created_at) FILTER (WHERE created_at > now() - interval '1 hour' AND reason = @reason)
            FROM generation_jobs WHERE regenerates_site_id = @siteId
            """, new { siteId, reason = OwnerReason }, transaction, cancellationToken: cancellationToken));
        if (recent.UnderWay > 0)
        {
            return new RegenerationRequest(null, RegenerationRefusal.UnderWay, null);
        }

        if (recent.LastHour >= options.Value.PerSitePerHour)
        {
            var retryAfter = Utc(recent.OldestInHour!.Value).AddHours(1) - clock.GetUtcNow();
            return new RegenerationRequest(null, RegenerationRefusal.TooMany, retryAfter < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retryAfter);
        }

        var job = await QueueAsync(transaction, site, OwnerReason, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        return new RegenerationRequest(job, null, null);
    }

    /// <summary>
    /// A published release regenerates every verified site of its repository, once per GitHub delivery.
    /// </summary>
    /// <returns>The jobs queued; null when this delivery was handled before.</returns>
    public async Task<IReadOnlyList<GenerationJob>?> ReleasePublishedAsync(string deliveryId, string repoOwner, string repoName, PublishedRelease release, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var first = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO github_deliveries (id, event) VALUES (@deliveryId, 'release') ON CONFLICT (id) DO NOTHING",
            new { deliveryId }, transaction, cancellationToken: cancellationToken));
        if (first == 0)
        {
            return null;
        }

        var sites = await connection.QueryAsync<RegeneratedSite>(new CommandDefinition($"""
            SELECT {RegeneratedSite.Columns} FROM websites
            WHERE lower(repo_owner) = lower(@repoOwner) AND lower(repo_name) = lower(@repoName) AND verified_permission IS NOT NULL
            ORDER BY id FOR UPDATE
            """, new { repoOwner, repoName }, transaction, cancellationToken: cancellationToken));
        var queued = new List<GenerationJob>();
        foreach (var site in sites)
        {
            queued.Add(await QueueAsync(transaction, site, ReleaseReason, release.Tag, cancellationToken));
            // Its subscribers may hear of it too (Leads drafts or sends the announcement, as the site's setting says).
            await outbox.PublishAsync(new ReleasePublished(site.SiteId, site.Title ?? site.RepoName, release.Tag, release.Notes, release.Url, clock.GetUtcNow()), transaction, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        return queued;
    }

    /// <summary>Swaps the site's content with the version its last regeneration replaced (so a second restore undoes the first).</summary>
    /// <returns>Its slug; null when it has no previous version.</returns>
    public async Task<string?> RestoreAsync(Guid siteId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var restored = await connection.QuerySingleOrDefaultAsync<(string Slug, string Title)>(new CommandDefinition("""
            UPDATE websites
            SET site_data = previous_site_data, html = previous_html, model = previous_model,
                previous_site_data = site_data, previous_html = html, previous_model = model, regenerated_at = now(),
                -- The restored content is what the owner's next edit starts from (it already carries the edits of its time).
                written_site_data = NULL
            WHERE id = @siteId AND previous_html IS NOT NULL
            RETURNING slug, site_data->>'title'
            """, new { siteId }, transaction, cancellationToken: cancellationToken));
        if (restored.Slug is null)
        {
            return null;
        }

        await outbox.PublishAsync(new SiteRegenerated(siteId, restored.Slug, restored.Title ?? "", RestoredReason, null, clock.GetUtcNow()), transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        return restored.Slug;
    }

    private static Task<RegeneratedSite?> LockSiteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid siteId, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<RegeneratedSite>(new CommandDefinition(
            $"SELECT {RegeneratedSite.Columns} FROM websites WHERE id = @siteId FOR UPDATE", new { siteId }, transaction, cancellationToken: cancellationToken));

    private async Task<GenerationJob> QueueAsync(NpgsqlTransaction transaction, RegeneratedSite site, string reason, string? release,
        CancellationToken cancellationToken)
    {
        var job = new GenerationJob(Guid.CreateVersion7(), $"https://github.com/{site.RepoOwner}/{site.RepoName}", site.RepoOwner, site.RepoName, site.OwnerId,
            site.OwnerTokenHash, JobStatus.Queued, JobStatus.Queued, 0, null, null, null, clock.GetUtcNow().UtcDateTime, site.AccountId, site.SiteId, reason, release);
        await jobs.RecordAsync(job, transaction, cancellationToken);
        return job;
    }

    private sealed record RegeneratedSite(Guid SiteId, string RepoOwner, string RepoName, Guid OwnerId, string? OwnerTokenHash, Guid? AccountId, string? Title)
    {
        public const string Columns = "id AS SiteId, repo_owner AS RepoOwner, repo_name AS RepoName, owner_id AS OwnerId, owner_token_hash AS OwnerTokenHash, account_id AS AccountId, site_data->>'title' AS Title";
    }
}

/// <summary>Why an owner's regeneration was not queued.</summary>
public enum RegenerationRefusal
{
    SiteNotFound,
    UnderWay,
    TooMany,
}

/// <summary>The job queued, or why none was (and, when too many, when to try again).</summary>
public sealed record RegenerationRequest(GenerationJob? Job, RegenerationRefusal? Refusal, TimeSpan? RetryAfter);

/// <summary>A release as GitHub's webhook describes it: its tag, its Markdown notes and its page.</summary>
public sealed record PublishedRelease(string Tag, string? Notes, string? Url);
