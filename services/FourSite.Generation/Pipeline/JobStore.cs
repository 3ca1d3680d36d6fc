using Dapper;
using FourSite.Contracts.Generation;
using FourSite.ServiceDefaults.Outbox;
using Npgsql;

namespace FourSite.Generation.Pipeline;

/// <summary>Generation jobs in PostgreSQL. Every state change that others must hear of commits with its outbox message.</summary>
public sealed class JobStore(NpgsqlDataSource dataSource, ServiceDefaults.Outbox.Outbox outbox, TimeProvider clock)
{
    private const string Columns = """
        id, repo_url AS RepoUrl, repo_owner AS RepoOwner, repo_name AS RepoName, owner_id AS OwnerId,
        owner_token_hash AS OwnerTokenHash, status, stage, progress, site_id AS SiteId, error_code AS ErrorCode, error,
        created_at AS CreatedAt, account_id AS AccountId, regenerates_site_id AS RegeneratesSiteId, reason, release_tag AS Release
        """;

    /// <summary>Records a job and queues its command in the caller's <paramref name="transaction"/>, in one statement.</summary>
    public async Task RecordAsync(GenerationJob job, NpgsqlTransaction transaction, CancellationToken cancellationToken, JobOrigin? origin = null)
    {
        var parameters = new DynamicParameters(job);
        parameters.AddDynamicParams(new { origin?.Network, origin?.TermsVersion, origin?.ReviewReason });
        parameters.AddDynamicParams(OutboxRow.For(new GenerateSite(job.Id, job.RepoOwner, job.RepoName, clock.GetUtcNow()), GenerationQueues.GenerateSite));
        await transaction.Connection!.ExecuteAsync(new CommandDefinition($"""
            WITH job AS (
                INSERT INTO generation_jobs (id, repo_url, repo_owner, repo_name, owner_id, owner_token_hash, status, stage, progress, account_id,
                                             regenerates_site_id, reason, release_tag, network, terms_version, terms_accepted_at, review_reason)
                VALUES (@Id, @RepoUrl, @RepoOwner, @RepoName, @OwnerId, @OwnerTokenHash, 'queued', 'queued', 0, @AccountId, @RegeneratesSiteId, @Reason, @Release,
                        @Network, @TermsVersion, CASE WHEN @TermsVersion::text IS NULL THEN NULL ELSE now() END, @ReviewReason)
            )
            INSERT INTO {Outbox.InsertTarget} VALUES ({Outbox.Values})
            """, parameters, transaction, cancellationToken: cancellationToken));
    }

    public async Task<GenerationJob?> FindAsync(Guid jobId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<GenerationJob>(new CommandDefinition(
            $"SELECT {Columns} FROM generation_jobs WHERE id = @jobId", new { jobId }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Claims a job for work. Null when it already ended (a redelivered message): the caller then does nothing.
    /// The first claim announces <see cref="GenerationStarted"/>. One statement: the job's row locked, marked running and
    /// announced in one round trip.
    /// </summary>
    public async Task<GenerationJob?> ClaimAsync(GenerateSite command, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(new { command.JobId, stage = JobStatus.FetchingRepo, progress = JobStatus.ProgressOf(JobStatus.FetchingRepo) });
        parameters.AddDynamicParams(OutboxRow.For(new GenerationStarted(command.JobId, command.RepoOwner, command.RepoName, clock.GetUtcNow())));
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // The lock is taken first and reads the row as the last writer left it, so a repeat waiting on it sees the job ended.
        var job = await connection.QuerySingleOrDefaultAsync<GenerationJob>(new CommandDefinition($"""
            WITH claimed AS (
                SELECT {Columns} FROM generation_jobs WHERE id = @JobId AND status IN ('queued', 'running') FOR UPDATE
            ), running AS (
                UPDATE generation_jobs SET status = 'running', stage = @stage, progress = @progress, updated_at = now()
                WHERE id = (SELECT id FROM claimed)
            ), started AS (
                INSERT INTO {Outbox.InsertTarget} SELECT {Outbox.Values} FROM claimed WHERE status = 'queued'
            )
            SELECT * FROM claimed
            """, parameters, cancellationToken: cancellationToken));
        if (job is null)
        {
            return null;
        }

        if (job.Status == JobStatus.Queued)
        {
            outbox.Flush();
        }

        return job;
    }

    public async Task SetStageAsync(Guid jobId, string stage, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE generation_jobs SET stage = @stage, progress = @progress, updated_at = now()
            WHERE id = @jobId AND status = 'running'
            """, new { jobId, stage, progress = JobStatus.ProgressOf(stage) }, cancellationToken: cancellationToken));
    }

    /// <summary>Ends a job without a site, once: false when it had already ended.</summary>
    public async Task<bool> FailAsync(Guid jobId, string code, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var job = await connection.QuerySingleOrDefaultAsync<GenerationJob>(new CommandDefinition($"""
            UPDATE generation_jobs
            SET status = 'failed', stage = 'failed', progress = 100, error_code = @code, error = @reason, updated_at = now(), completed_at = now()
            WHERE id = @jobId AND status IN ('queued', 'running')
            RETURNING {Columns}
            """, new { jobId, code, reason }, transaction, cancellationToken: cancellationToken));
        if (job is null)
        {
            return false;
        }

        await outbox.PublishAsync(new GenerationFailed(jobId, job.RepoOwner, job.RepoName, code, reason, clock.GetUtcNow()), transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Flush();
        return true;
    }

    /// <summary>Jobs accepted but not yet picked up by a worker.</summary>
    public async Task<long> CountQueuedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM generation_jobs WHERE status = 'queued'", cancellationToken: cancellationToken));
    }
}
