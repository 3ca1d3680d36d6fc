using FourSite.Metrics.Alerts.Channels;
using FourSite.ServiceDefaults.Database;

namespace FourSite.Metrics.Alerts;

/// <summary>
/// Tells people that a rule's alert was raised, is still firing, or resolved: always in the log, and to each channel
/// the rule routes to through the delivery outbox, unless an operator silenced the rule. While the database itself is
/// unreachable nothing can be queued, so the channels are sent to at once, each on its own.
/// </summary>
public sealed partial class AlertNotifier(
    AlertChannels channels,
    AlertDeliveries deliveries,
    AlertSilences silences,
    IEnumerable<IAlertSender> senders,
    LogChannel log,
    MetricsTelemetry telemetry,
    TimeProvider clock,
    ILogger<AlertNotifier> logger)
{
    public async Task NotifyAsync(AlertRule rule, string transition, string message, double? value, CancellationToken cancellationToken)
    {
        telemetry.Alert(rule.Name, rule.Severity, transition);
        var notification = new AlertNotification(rule.Name, rule.Severity, transition, message, value, rule.Threshold, clock.GetUtcNow());
        log.Write(notification);
        var routed = rule.Channels.Select(channels.Find).OfType<AlertChannel>().ToList();
        if (routed.Count == 0)
        {
            return;
        }

        try
        {
            if (await silences.IsSilencedAsync(rule.Name, cancellationToken))
            {
                routed.ForEach(channel => telemetry.AlertDelivery(channel.Name, "silenced"));
                LogSilenced(logger, rule.Name, transition);
                return;
            }

            await deliveries.AddAsync(notification, routed.Select(channel => channel.Name), cancellationToken);
        }
        catch (Exception exception) when (exception.IsDatabaseUnavailable())
        {
            await Task.WhenAll(routed.Select(channel => SendNowAsync(channel, notification, cancellationToken)));
        }
    }

    private async Task SendNowAsync(AlertChannel channel, AlertNotification notification, CancellationToken cancellationToken)
    {
        try
        {
            await senders.First(sender => sender.Type == channel.Type).SendAsync(channel, notification with { DeliveryId = Guid.CreateVersion7() }, cancellationToken);
            telemetry.AlertDelivery(channel.Name, "delivered");
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            telemetry.AlertDelivery(channel.Name, "failed");
            LogNotSent(logger, notification.Rule, channel.Name, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {Rule} {Transition} while silenced: not sent")]
    private static partial void LogSilenced(ILogger logger, string rule, string transition);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert {Rule} could not be sent to {Channel} while the database is unreachable: {Reason}")]
    private static partial void LogNotSent(ILogger logger, string rule, string channel, string reason);
}
