using FourSite.Contracts.Metrics;
using MassTransit;

namespace FourSite.Metrics.Alerts.Channels;

/// <summary>
/// Emails go through the platform's sender: the notification is handed to Leads over the broker (published with
/// confirmation), which queues and sends it with its own retries.
/// </summary>
public sealed class EmailSender(IBus bus) : IAlertSender
{
    public string Type => AlertChannelTypes.Email;

    public async Task SendAsync(AlertChannel channel, AlertNotification notification, CancellationToken cancellationToken)
    {
        await bus.Publish(new OperatorAlertEmail(notification.DeliveryId, channel.Settings.To, notification.Rule,
            notification.Severity, notification.Transition, notification.Message, notification.Value, notification.Threshold, notification.At), cancellationToken);
    }
}
