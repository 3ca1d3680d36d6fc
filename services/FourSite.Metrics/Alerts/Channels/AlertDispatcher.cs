using FourSite.ServiceDefaults.Messaging;
using Microsoft.Extensions.Options;

namespace FourSite.Metrics.Alerts.Channels;

/// <summary>
/// Delivers queued alert notifications, each channel in a loop of its own so one slow or broken channel never delays
/// another. A failed attempt is retried with growing waits (up to 5 minutes) until it succeeds, or is given up after
/// <see cref="AlertsOptions.GiveUpAfter"/>: a channel that was down gets its pages once it is back.
/// </summary>
public sealed partial class AlertDispatcher(
    AlertChannels channels,
    AlertDeliveries deliveries,
    IEnumerable<IAlertSender> senders,
    IOptions<AlertsOptions> options,
    MetricsTelemetry telemetry,
    ILogger<AlertDispatcher> logger) : BackgroundService
{
    private const int Batch = 20;
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(5);

    // While the database is away the loop looks again at most this long after: the end of an outage is news to send.
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(10);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var bySender = senders.ToDictionary(sender => sender.Type, StringComparer.Ordinal);
        var loops = channels.Configured.Select(channel => DeliverLoopAsync(channel, bySender[channel.Type], stoppingToken)).ToList();
        loops.Add(PruneLoopAsync(stoppingToken));
        return Task.WhenAll(loops);
    }

    private async Task DeliverLoopAsync(AlertChannel channel, IAlertSender sender, CancellationToken stoppingToken)
    {
        var idle = options.Value.DeliveryPollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await DeliverDueAsync(channel, sender, stoppingToken) == 0)
                {
                    await Task.Delay(idle, stoppingToken);
                }

                idle = options.Value.DeliveryPollInterval;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The database is away: the rows wait there; look again a little later each time.
                idle = Backoff.Next(idle, options.Value.DeliveryPollInterval, LongestPause);
                LogLoopFailed(logger, exception, channel.Name, idle.TotalSeconds);
                await Task.Delay(idle, stoppingToken);
            }
        }
    }

    /// <summary>Sends one batch of the channel's due deliveries; how many there were.</summary>
    public async Task<int> DeliverDueAsync(AlertChannel channel, IAlertSender sender, CancellationToken cancellationToken)
    {
        var due = await deliveries.TakeAsync(channel.Name, Batch, cancellationToken);
        foreach (var delivery in due)
        {
            var notification = delivery.Read();
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(options.Value.DeliveryTimeout);
            Exception? failure = null;
            try
            {
                await sender.SendAsync(channel, notification, attempt.Token);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                failure = exception;
            }

            if (failure is null)
            {
                // Sent: should this write fail, the lease lapses and it is sent again (receivers see the delivery id twice).
                await deliveries.DeliveredAsync(delivery.Id, cancellationToken);
                telemetry.AlertDelivery(channel.Name, "delivered");
            }
            else
            {
                var giveUp = DateTime.UtcNow - DateTime.SpecifyKind(delivery.CreatedAt, DateTimeKind.Utc) > options.Value.GiveUpAfter;
                var retryAfter = TimeSpan.FromTicks(Math.Min(FirstRetry.Ticks << Math.Min(delivery.Attempts, 10), LongestRetry.Ticks));
                await deliveries.FailedAsync(delivery.Id, failure.Message, retryAfter, giveUp, cancellationToken);
                telemetry.AlertDelivery(channel.Name, giveUp ? "failed" : "retry");
                if (giveUp)
                {
                    LogGaveUp(logger, notification.Rule, channel.Name, failure.Message);
                }
                else
                {
                    LogRetrying(logger, notification.Rule, channel.Name, retryAfter.TotalSeconds, failure.Message);
                }
            }
        }

        return due.Count;
    }

    private async Task PruneLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromHours(1), stoppingToken);
                await deliveries.PruneAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                LogLoopFailed(logger, exception, "prune", 3600);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Rule} not delivered to {Channel}; retrying in {DelaySeconds:F0} s: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string rule, string channel, double delaySeconds, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert {Rule} could not be delivered to {Channel} and was given up: {Reason}")]
    private static partial void LogGaveUp(ILogger logger, string rule, string channel, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert deliveries of {Channel} paused; looking again in {DelaySeconds:F0} s")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception, string channel, double delaySeconds);
}
