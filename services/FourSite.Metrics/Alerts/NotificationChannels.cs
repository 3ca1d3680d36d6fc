namespace FourSite.Metrics.Alerts;

/// <summary>
/// An alert raised, sent again or resolved, as sent to people. <see cref="DeliveryId"/> identifies one delivery to one
/// channel (receivers that deduplicate use it).
/// </summary>
public sealed record AlertNotification(string Rule, string Severity, string Transition, string Message, double? Value, double Threshold, DateTimeOffset At,
    Guid DeliveryId = default);
