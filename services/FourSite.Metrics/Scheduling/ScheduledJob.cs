namespace FourSite.Metrics.Scheduling;

/// <summary>
/// A job that runs every <see cref="Interval"/> on one replica at a time (see <see cref="ScheduledRuns"/>); a round that
/// fails is logged and the next round tries again.
/// </summary>
public abstract partial class ScheduledJob(ScheduledRuns schedule, ILogger logger) : BackgroundService
{
    protected abstract string Name { get; }

    protected abstract TimeSpan Interval { get; }

    /// <summary>One round of the job.</summary>
    public abstract Task RunOnceAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Called after each attempt at a round, with what made it fail (null when it ran, or was another replica's turn):
    /// a job can tell what its rounds cannot, e.g. that the database they need is unreachable.
    /// </summary>
    public virtual Task AfterAttemptAsync(Exception? failure, CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                Exception? failure = null;
                try
                {
                    await schedule.RunIfDueAsync(Name, Interval, RunOnceAsync, stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // A round that fails (database, Redis, a peer service) must not stop the service: the next round retries.
                    LogRoundFailed(logger, Name, exception.Message);
                    failure = exception;
                }

                try
                {
                    await AfterAttemptAsync(failure, stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogRoundFailed(logger, Name, exception.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Scheduled job {Job} failed this round: {Reason}")]
    private static partial void LogRoundFailed(ILogger logger, string job, string reason);
}
