using System.Diagnostics;
using FourSite.Contracts.Generation;
using FourSite.Generation.GitHub;
using MassTransit;

namespace FourSite.Generation.Pipeline;

/// <summary>
/// When a job's message has used up its retries (or cannot be processed at all), the job ends as failed with a clear
/// reason: a poison message is never dropped silently.
/// </summary>
public sealed partial class GenerateSiteFaultConsumer(
    JobStore jobs,
    GenerationProgress progress,
    GenerationTelemetry telemetry,
    ILogger<GenerateSiteFaultConsumer> logger) : IConsumer<Fault<GenerateSite>>
{
    public async Task Consume(ConsumeContext<Fault<GenerateSite>> context)
    {
        var jobId = context.Message.Message.JobId;
        var exception = context.Message.Exceptions.FirstOrDefault();
        var (code, reason) = exception?.ExceptionType == typeof(GitHubUnavailableException).FullName
            ? (GenerationErrors.GitHubUnavailable, GenerationErrors.GitHubUnavailableReason)
            : (GenerationErrors.GenerationFailed, "The site could not be generated.");

        LogFaulted(logger, jobId, code, exception?.Message ?? "unknown");
        Activity.Current?.SetStatus(ActivityStatusCode.Error, code);
        if (await jobs.FailAsync(jobId, code, reason, context.CancellationToken))
        {
            telemetry.Failed(code, TimeSpan.Zero);
            progress.Announce(new JobUpdate(jobId, JobStatus.Failed, JobStatus.Failed, 100, Error: reason, ErrorCode: code));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed after retries as {Code}: {Reason}")]
    private static partial void LogFaulted(ILogger logger, Guid jobId, string code, string reason);
}
