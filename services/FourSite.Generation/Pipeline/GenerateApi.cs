using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using FluentValidation;
using FourSite.Generation.GitHub;
using FourSite.Generation.Moderation;
using FourSite.Generation.Ownership;
using FourSite.Generation.Sites;
using FourSite.Generation.Writers;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using FourSite.ServiceDefaults.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FourSite.Generation.Pipeline;

/// <summary><c>/api/generate</c>: accept a repository, follow its job, stream its stages.</summary>
public static class GenerateApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(10);

    public static IEndpointRouteBuilder MapGenerateApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/generate").WithTags("Generation");

        api.MapPost("/", Generate)
            .WithName("GenerateSite")
            .WithSummary("Generate a site from a GitHub repository; waits for it up to a bound, else answers 202.");

        api.MapGet("/{jobId:guid}", GetJob)
            .WithName("GetGenerationJob")
            .WithSummary("A generation job's status, stage and progress.");

        api.MapGet("/{jobId:guid}/events", StreamJob)
            .WithName("StreamGenerationJob")
            .WithSummary("The job's stages as server-sent events, until it completes or fails.");

        return app;
    }

    /// <summary>What <see cref="Generate"/> works with.</summary>
    public sealed record GenerateServices(
        IValidator<GenerateRequest> Validator,
        JobStore Jobs,
        GenerationAdmission Admission,
        SiteStore Sites,
        GenerationProgress Progress,
        GenerationTelemetry Telemetry,
        IOptions<GenerationOptions> Options);

    public static async Task<IResult> Generate(
        GenerateRequest request,
        [FromHeader(Name = "Prefer")] string? prefer,
        HttpContext context,
        [AsParameters] GenerateServices services,
        CancellationToken cancellationToken)
    {
        var validation = await services.Validator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid || !RepositoryName.TryParse(request.RepoUrl, out var repository))
        {
            return Problems.Validation(validation);
        }

        var (ownerToken, ownerTokenHash) = OwnerToken.Create();
        var job = new GenerationJob(Guid.CreateVersion7(), request.RepoUrl.Trim(), repository.Owner, repository.Name, Guid.CreateVersion7(),
            ownerTokenHash, JobStatus.Queued, JobStatus.Queued, 0, null, null, null, DateTime.UtcNow, context.AccountId());
        var accepted = Accepted(job, ownerToken);

        var respondAsync = prefer?.Contains("respond-async", StringComparison.OrdinalIgnoreCase) == true || services.Options.Value.WaitBound <= TimeSpan.Zero;
        // Listen before the job exists, so its end cannot slip past between commit and subscription.
        await using var updates = respondAsync ? null : await services.Progress.ListenAsync(job.Id);
        var admission = await services.Admission.AdmitAsync(job, ClientNetwork.Of(context.Connection.RemoteIpAddress), cancellationToken, request.TermsVersion);
        if (!admission.IsAdmitted)
        {
            services.Telemetry.Refused(admission.BlockedBy is null ? "quota" : "blocked");
            return Refusal(admission, context);
        }

        services.Telemetry.Started();
        if (updates is null)
        {
            return accepted;
        }

        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(services.Options.Value.WaitBound);
        var end = await updates.WaitForEndAsync(bound.Token);
        if (end is null)
        {
            return accepted;
        }

        if (end.Status == JobStatus.Failed)
        {
            return FailureProblem(end);
        }

        // The end names the site as it was stored; one announced without it (an earlier worker's) is read back.
        var site = end.Site ?? (await services.Sites.FindAsync(end.SiteId!.Value, cancellationToken) is { } stored
            ? new GeneratedSite(stored.Slug, JsonSerializer.Deserialize<SiteData>(stored.SiteData, Json)!, stored.Model, stored.FallbackUsed, stored.AiError, stored.GenerationTimeMs)
            : null);
        if (site is null)
        {
            return accepted;
        }

        var response = new GenerateResponse(!site.FallbackUsed, job.Id, end.SiteId!.Value, site.Slug, SiteUrl(site.Slug), site.Data,
            Math.Round(site.GenerationTimeMs), site.Model, site.FallbackUsed, job.OwnerId, ownerToken, site.AiError);
        // A configured AI that failed is the provider's outage: 503, with the built-in writer's site to show meanwhile.
        return site.FallbackUsed
            ? TypedResults.Json(response, Json, statusCode: StatusCodes.Status503ServiceUnavailable)
            : TypedResults.Ok(response);
    }

    public static async Task<Results<Ok<JobStatusResponse>, ProblemHttpResult>> GetJob(Guid jobId, JobStore jobs, CancellationToken cancellationToken)
    {
        var job = await jobs.FindAsync(jobId, cancellationToken);
        return job is null ? JobNotFound(jobId) : TypedResults.Ok(StatusOf(job));
    }

    public static async Task<IResult> StreamJob(Guid jobId, JobStore jobs, GenerationProgress progress, CancellationToken cancellationToken)
    {
        var updates = await progress.ListenAsync(jobId);
        var job = await jobs.FindAsync(jobId, cancellationToken);
        if (job is null)
        {
            if (updates is not null)
            {
                await updates.DisposeAsync();
            }

            return JobNotFound(jobId);
        }

        return TypedResults.ServerSentEvents(Stream(job, updates, jobs, cancellationToken));
    }

    private static async IAsyncEnumerable<SseItem<JobStatusResponse>> Stream(
        GenerationJob job, GenerationProgress.Subscription? updates, JobStore jobs, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var _ = updates;
        var current = StatusOf(job);
        yield return new SseItem<JobStatusResponse>(current, current.Stage);
        if (current.Status is JobStatus.Completed or JobStatus.Failed)
        {
            yield break;
        }

        if (updates is null)
        {
            // No live updates (Redis away): follow the record, gently.
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                var latest = await jobs.FindAsync(job.Id, cancellationToken);
                if (latest is null || latest.Stage == current.Stage)
                {
                    continue;
                }

                current = StatusOf(latest);
                yield return new SseItem<JobStatusResponse>(current, current.Stage);
                if (current.Status is JobStatus.Completed or JobStatus.Failed)
                {
                    yield break;
                }
            }

            yield break;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            // Pub/sub can drop a message: every quiet spell re-reads the record, which also keeps the stream alive.
            var update = await updates.NextAsync(HeartbeatInterval, cancellationToken);
            JobStatusResponse status;
            if (update is not null)
            {
                status = new JobStatusResponse(update.JobId, update.Status, update.Stage, update.Progress, update.SiteId, update.Error, update.ErrorCode);
            }
            else if (await jobs.FindAsync(job.Id, cancellationToken) is { } latest)
            {
                status = StatusOf(latest);
            }
            else
            {
                yield break;
            }

            // Updates published before the record was read arrive after it: a stage already passed is not told again.
            if (JobStatus.ProgressOf(status.Stage) < JobStatus.ProgressOf(current.Stage))
            {
                continue;
            }

            current = status;
            yield return new SseItem<JobStatusResponse>(status, status.Stage);
            if (status.Status is JobStatus.Completed or JobStatus.Failed)
            {
                yield break;
            }
        }
    }

    private static ProblemHttpResult Refusal(Admission admission, HttpContext context)
    {
        if (admission.BlockedBy is { } kind)
        {
            return Problems.Of(StatusCodes.Status403Forbidden, GenerationErrors.Blocked, "Sites are not generated for this repository.",
                $"FourSite does not generate sites for this {kind}.", new Dictionary<string, object?> { ["blockedBy"] = kind });
        }

        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(admission.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Of(StatusCodes.Status429TooManyRequests, GenerationErrors.QuotaExceeded, "Too many sites generated today.",
            $"At most {admission.Limit} new sites a day per {admission.Quota}; try again later.", new Dictionary<string, object?> { ["quota"] = admission.Quota });
    }

    private static Accepted<GenerateAccepted> Accepted(GenerationJob job, string ownerToken)
    {
        var statusUrl = $"/api/generate/{job.Id}";
        return TypedResults.Accepted(statusUrl, new GenerateAccepted(job.Id, JobStatus.Queued, statusUrl, job.OwnerId, ownerToken));
    }

    private static IResult FailureProblem(JobUpdate end) => end.ErrorCode switch
    {
        GenerationErrors.RepositoryNotFound => Problems.Of(StatusCodes.Status404NotFound, GenerationErrors.RepositoryNotFound, "Repository not found.", end.Error,
            new Dictionary<string, object?> { ["jobId"] = end.JobId }),
        GenerationErrors.GitHubUnavailable => Problems.Of(StatusCodes.Status503ServiceUnavailable, GenerationErrors.GitHubUnavailable, "GitHub is unavailable.", end.Error,
            new Dictionary<string, object?> { ["jobId"] = end.JobId }),
        _ => Problems.Of(StatusCodes.Status502BadGateway, GenerationErrors.GenerationFailed, "The site could not be generated.", end.Error,
            new Dictionary<string, object?> { ["jobId"] = end.JobId }),
    };

    private static ProblemHttpResult JobNotFound(Guid jobId) =>
        Problems.Of(StatusCodes.Status404NotFound, "job_not_found", "No such generation job.", $"There is no job {jobId}.");

    private static JobStatusResponse StatusOf(GenerationJob job) =>
        new(job.Id, job.Status, job.Stage, job.Progress, job.SiteId, job.Error, job.ErrorCode);

    public static string SiteUrl(string slug) => $"/s/{slug}";
}
