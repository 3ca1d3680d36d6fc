namespace FourSite.Metrics.Alerts;

/// <summary>Alerts as structured log entries (visible on the Aspire dashboard's logs).</summary>
public sealed partial class LogChannel(ILogger<LogChannel> logger) : INotificationChannel
{
    public string Name => NotificationChannels.Log;

    public Task SendAsync(AlertNotification notification, CancellationToken cancellationToken)
    {
        if (notification.Transition == AlertTransitions.Raised)
        {
            LogRaised(logger, notification.Rule, notification.Severity, notification.Message, notification.Value, notification.Threshold);
        }
        else
        {
            LogResolved(logger, notification.Rule, notification.Message);
        }

        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Rule} raised ({Severity}): {AlertMessage} (value {Value}, threshold {Threshold})")]
    private static partial void LogRaised(ILogger logger, string rule, string severity, string alertMessage, double? value, double threshold);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {Rule} resolved: {AlertMessage}")]
    private static partial void LogResolved(ILogger logger, string rule, string alertMessage);
}
