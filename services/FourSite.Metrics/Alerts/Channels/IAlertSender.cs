namespace FourSite.Metrics.Alerts.Channels;

/// <summary>Sends a notification to a channel of one type; throws when it was not accepted, so the delivery is retried.</summary>
public interface IAlertSender
{
    string Type { get; }

    Task SendAsync(AlertChannel channel, AlertNotification notification, CancellationToken cancellationToken);
}
