namespace FourSite.Metrics.Alerts;

/// <summary>An alert raised or resolved, as sent to people.</summary>
public sealed record AlertNotification(string Rule, string Severity, string Transition, string Message, double? Value, double Threshold, DateTimeOffset At);

/// <summary>Somewhere alerts go.</summary>
public interface INotificationChannel
{
    string Name { get; }

    Task SendAsync(AlertNotification notification, CancellationToken cancellationToken);
}

public static class NotificationChannels
{
    public const string Log = "log";
    public const string Webhook = "webhook";

    public static readonly IReadOnlyList<string> Names = [Log, Webhook];
}
