using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using FourSite.Contracts.Generation;
using FourSite.Generation.GitHub;
using FourSite.Generation.Moderation;
using FourSite.Generation.Rendering;
using FourSite.Generation.Sites;
using FourSite.Generation.Writers;
using MassTransit;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Generation.Pipeline;

/// <summary>
/// Works one generation job through its stages: fetch the repository, write, render, store. Replicas compete for the
/// queue; a redelivered job that already ended is skipped, and a job's site is stored at most once.
/// Transient GitHub failures are thrown to be retried; when retries run out, <see cref="GenerateSiteFaultConsumer"/> fails the job.
/// </summary>
public sealed partial class GenerateSiteConsumer(
    JobStore jobs,
    SiteStore sites,
    RepositoryFetcher fetcher,
    SiteAuthor author,
    GenerationProgress progress,
    GenerationTelemetry telemetry,
    TimeProvider clock,
    ILogger<GenerateSiteConsumer> logger) : IConsumer<GenerateSite>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task Consume(ConsumeContext<GenerateSite> context)
    {
        var command = context.Message;
        var cancellationToken = context.CancellationToken;
        var job = await jobs.ClaimAsync(command, cancellationToken);
        if (job is null)
        {
            LogAlreadyEnded(logger, command.JobId);
            return;
        }

        Announce(job.Id, JobStatus.FetchingRepo);
        RepositorySnapshot repository;
        using (GenerationTelemetry.ActivitySource.StartActivity("fetch repository"))
        {
            try
            {
                repository = await fetcher.FetchAsync(new RepositoryName(job.RepoOwner, job.RepoName), cancellationToken, latest: job.RegeneratesSiteId is not null);
            }
            catch (RepositoryNotFoundException notFound)
            {
                await FailAsync(job, GenerationErrors.RepositoryNotFound, notFound.Message, cancellationToken);
                return;
            }
            catch (GitHubUnavailableException unreachable) when (unreachable.Unreachable)
            {
                // No connection could be made (and no copy was cached): say so now rather than after minutes of retries.
                LogUnreachable(logger, job.Id, unreachable.Message);
                await FailAsync(job, GenerationErrors.GitHubUnavailable, GenerationErrors.GitHubUnavailableReason, cancellationToken);
                return;
            }
        }

        // The record shows the writing stage only when it lasts (an AI provider's seconds); the live stream always tells it.
        if (author.AsksAi)
        {
            await jobs.SetStageAsync(job.Id, JobStatus.Writing, cancellationToken);
        }

        Announce(job.Id, JobStatus.Writing);
        WrittenSite written;
        using (GenerationTelemetry.ActivitySource.StartActivity("write site"))
        {
            written = await author.WriteAsync(repository, cancellationToken);
        }

        // Rendering takes about a millisecond: the live stream tells it, and the record goes from the stage before to its end in one write.
        Announce(job.Id, JobStatus.Rendering);
        if (job.RegeneratesSiteId is { } existing)
        {
            await RegenerateAsync(job, existing, written, cancellationToken);
            return;
        }

        var siteId = Guid.CreateVersion7();
        var slug = NewSlug(repository.Name);
        string page;
        using (GenerationTelemetry.ActivitySource.StartActivity("render site"))
        {
            page = SitePage.Render(siteId, slug, written.Data);
        }

        var elapsed = clock.GetUtcNow() - Utc(job.CreatedAt);
        var stored = await sites.CreateAsync(
            new NewWebsite(siteId, job.Id, slug, job.RepoOwner, job.RepoName, JsonSerializer.Serialize(written.Data, Json), page,
                written.Model, written.FallbackUsed, written.AiError, elapsed.TotalMilliseconds, job.OwnerId, job.OwnerTokenHash!, job.AccountId,
                LoginLinkCheck.Check(repository, page, clock.GetUtcNow())),
            new SiteGenerated(job.Id, siteId, slug, written.Data.Title, job.RepoOwner, job.RepoName, written.Data.ProjectType,
                written.Data.Template, job.OwnerId, job.OwnerTokenHash!, written.Model, written.FallbackUsed, elapsed.TotalMilliseconds, clock.GetUtcNow(), job.AccountId),
            cancellationToken);
        if (!stored)
        {
            LogAlreadyEnded(logger, job.Id);
            return;
        }

        telemetry.Completed(written.Model, elapsed);
        LogCompleted(logger, job.Id, job.RepoOwner, job.RepoName, slug, written.Model, elapsed.TotalMilliseconds);
        progress.Announce(new JobUpdate(job.Id, JobStatus.Completed, JobStatus.Completed, 100, siteId,
            Site: new GeneratedSite(slug, written.Data, written.Model, written.FallbackUsed, written.AiError, elapsed.TotalMilliseconds)));
    }

    /// <summary>Writes an existing site again in place: same id and slug (so its leads, shares and score stay), new content.</summary>
    private async Task RegenerateAsync(GenerationJob job, Guid siteId, WrittenSite written, CancellationToken cancellationToken)
    {
        if (await sites.FindAsync(siteId, cancellationToken) is not { } site)
        {
            await FailAsync(job, GenerationErrors.SiteRemoved, GenerationErrors.SiteRemovedReason, cancellationToken);
            return;
        }

        var now = clock.GetUtcNow();
        // The README's new facts, with the fields the owner wrote kept as they wrote them.
        var replaced = await sites.ReplaceAsync(job.Id, siteId, overrides =>
        {
            var shown = overrides.Apply(written.Data);
            using var rendering = GenerationTelemetry.ActivitySource.StartActivity("render site");
            return (new RegeneratedContent(siteId, JsonSerializer.Serialize(shown, Json), JsonSerializer.Serialize(written.Data, Json), SitePage.Render(siteId, site.Slug, shown),
                    written.Model, written.FallbackUsed, written.AiError),
                new SiteRegenerated(siteId, site.Slug, shown.Title, job.Reason ?? "owner", job.Release, now));
        }, cancellationToken);
        if (!replaced)
        {
            LogAlreadyEnded(logger, job.Id);
            return;
        }

        var elapsed = now - Utc(job.CreatedAt);
        telemetry.Regenerated(job.Reason ?? "owner", written.Model, elapsed);
        LogRegenerated(logger, job.Id, siteId, site.Slug, job.Reason ?? "owner", job.Release);
        progress.Announce(new JobUpdate(job.Id, JobStatus.Completed, JobStatus.Completed, 100, siteId));
    }

    private async Task FailAsync(GenerationJob job, string code, string reason, CancellationToken cancellationToken)
    {
        // A failed job is a failure of its trace, which is then exported whatever the trace cap.
        Activity.Current?.SetStatus(ActivityStatusCode.Error, code);
        if (await jobs.FailAsync(job.Id, code, reason, cancellationToken))
        {
            telemetry.Failed(code, clock.GetUtcNow() - Utc(job.CreatedAt));
            progress.Announce(new JobUpdate(job.Id, JobStatus.Failed, JobStatus.Failed, 100, Error: reason, ErrorCode: code));
        }
    }

    private void Announce(Guid jobId, string stage) =>
        progress.Announce(new JobUpdate(jobId, JobStatus.Running, stage, JobStatus.ProgressOf(stage)));

    /// <summary>A readable, unguessable slug: the repository's name and a random suffix.</summary>
    private static string NewSlug(string repositoryName)
    {
        var stem = new string(repositoryName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        if (stem.Length > 40)
        {
            stem = stem[..40].TrimEnd('-');
        }

        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        return stem.Length == 0 ? suffix : $"{stem}-{suffix}";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} failed at once: GitHub cannot be reached: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, Guid jobId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} had already ended; the repeated message was ignored")]
    private static partial void LogAlreadyEnded(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} regenerated site {SiteId} ({Slug}) in place, for {Reason} {Release}")]
    private static partial void LogRegenerated(ILogger logger, Guid jobId, Guid siteId, string slug, string reason, string? release);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} generated {Owner}/{Repository} as {Slug} with {Model} in {ElapsedMs:F0} ms")]
    private static partial void LogCompleted(ILogger logger, Guid jobId, string owner, string repository, string slug, string model, double elapsedMs);
}
