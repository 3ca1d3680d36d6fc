namespace FourSite.Metrics.Alerts;

/// <summary>Every alert as a structured log entry (visible on the Aspire dashboard's logs), whatever else it is routed to.</summary>
public sealed partial class LogChannel(ILogger<LogChannel> logger)
{
    public void Write(AlertNotification notification)
    {
        if (notification.Transition != AlertTransitions.Resolved)
        {
            LogRaised(logger, notification.Rule, notification.Severity, notification.Message, notification.Value, notification.Threshold);
        }
        else
        {
            LogResolved(logger, notification.Rule, notification.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert {Rule} firing ({Severity}): {AlertMessage} (value {Value}, threshold {Threshold})")]
    private static partial void LogRaised(ILogger logger, string rule, string severity, string alertMessage, double? value, double threshold);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert {Rule} resolved: {AlertMessage}")]
    private static partial void LogResolved(ILogger logger, string rule, string alertMessage);
}
