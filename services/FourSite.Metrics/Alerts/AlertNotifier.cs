namespace FourSite.Metrics.Alerts;

/// <summary>Tells a rule's channels that its alert was raised or resolved, and counts it.</summary>
public sealed class AlertNotifier(IEnumerable<INotificationChannel> channels, MetricsTelemetry telemetry, TimeProvider clock)
{
    public async Task NotifyAsync(AlertRule rule, string transition, string message, double? value, CancellationToken cancellationToken)
    {
        telemetry.Alert(rule.Name, rule.Severity, transition);
        var notification = new AlertNotification(rule.Name, rule.Severity, transition, message, value, rule.Threshold, clock.GetUtcNow());
        foreach (var channel in channels.Where(channel => rule.Channels.Contains(channel.Name)))
        {
            await channel.SendAsync(notification, cancellationToken);
        }
    }
}
