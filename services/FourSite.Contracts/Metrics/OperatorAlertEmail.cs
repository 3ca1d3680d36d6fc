namespace FourSite.Contracts.Metrics;

/// <summary>
/// Command-like event: email an alert to the on-call addresses of an email channel. Leads, the platform's sender, queues
/// one email per address under <see cref="DeliveryId"/>, so a redelivered message sends nothing twice.
/// </summary>
public sealed record OperatorAlertEmail(Guid DeliveryId, IReadOnlyList<string> To, string Rule, string Severity, string Transition, string Message,
    double? Value, double Threshold, DateTimeOffset At);
