
namespace FourSite.Generation.Pipeline;

/// <summary>Samples how many jobs wait for a worker, for the <c>foursite.generation.queue.depth</c> gauge.</summary>
public sealed partial class QueueDepthSampler(JobStore jobs, GenerationTelemetry telemetry, ILogger<QueueDepthSampler> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                try
                {
                    telemetry.QueueDepth(await jobs.CountQueuedAsync(stoppingToken));
                }
                catch (Npgsql.NpgsqlException exception)
                {
                    LogSampleFailed(logger, exception.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue depth not sampled: {Reason}")]
    private static partial void LogSampleFailed(ILogger logger, string reason);
}
