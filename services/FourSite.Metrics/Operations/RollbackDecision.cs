namespace FourSite.Metrics.Operations;

/// <summary>A deployment slot's health over the decision window, as the gateway saw it.</summary>
public sealed record SlotHealth(string Slot, long Requests, double? ErrorRate, double? P95Ms, double? Uptime);

/// <summary>What to do with a slot, and why.</summary>
public sealed record SlotDecision(SlotHealth Health, string Decision, IReadOnlyList<string> Reasons);

/// <summary>
/// The launch plan's rollback monitor: a slot whose error rate passes 5 %, whose p95 passes 5 s or whose uptime falls
/// under 95 % over the window should be rolled back. Too little traffic to judge is said as such.
/// </summary>
public static class RollbackDecision
{
    public const string Rollback = "rollback";
    public const string Healthy = "healthy";
    public const string InsufficientData = "insufficient_data";

    public const double MaxErrorRate = 0.05;
    public const double MaxP95Ms = 5_000;
    public const double MinUptime = 0.95;

    /// <summary>Fewer requests than this in the window say too little about a slot.</summary>
    public const long MinimumRequests = 20;

    public static SlotDecision Decide(SlotHealth health)
    {
        if (health.Requests < MinimumRequests)
        {
            return new SlotDecision(health, InsufficientData, [$"only {health.Requests} requests in the window (at least {MinimumRequests} needed)"]);
        }

        var reasons = new List<string>();
        if (health.ErrorRate > MaxErrorRate)
        {
            reasons.Add($"error rate {health.ErrorRate:P1} is above {MaxErrorRate:P0}");
        }

        if (health.P95Ms > MaxP95Ms)
        {
            reasons.Add($"p95 latency {health.P95Ms:F0} ms is above {MaxP95Ms:F0} ms");
        }

        if (health.Uptime < MinUptime)
        {
            reasons.Add($"uptime {health.Uptime:P1} is below {MinUptime:P0}");
        }

        return new SlotDecision(health, reasons.Count > 0 ? Rollback : Healthy, reasons);
    }
}
