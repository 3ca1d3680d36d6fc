using FourSite.Metrics.Signals;
using Microsoft.Extensions.Options;

namespace FourSite.Metrics.Operations;

/// <summary>The rollback decision for every deployment slot that served traffic in the window.</summary>
public sealed record DeploymentHealthReport(TimeSpan Window, DateTimeOffset Timestamp, string Decision, IReadOnlyList<SlotDecision> Slots);

/// <summary>Reads each slot's golden signals from the gateway's counts and decides (see <see cref="RollbackDecision"/>).</summary>
public sealed class DeploymentHealth(RequestSignalReader traffic, IOptions<MetricsOptions> options, TimeProvider clock)
{
    /// <summary>Requests the gateway answered itself (health, admin) belong to no slot.</summary>
    private const string GatewaySlot = "gateway";

    public async Task<DeploymentHealthReport> ReadAsync(string? slot = null)
    {
        var window = options.Value.DeploymentWindow;
        var requests = await traffic.ReadAsync(window);
        var decisions = requests.BySlot
            .Where(entry => entry.Key != GatewaySlot && (slot is null || entry.Key == slot))
            .OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry => RollbackDecision.Decide(new SlotHealth(entry.Key, entry.Value.Requests, entry.Value.ErrorRate, entry.Value.LatencyMs(95), entry.Value.Uptime)))
            .ToList();
        if (slot is not null && decisions.Count == 0)
        {
            decisions.Add(RollbackDecision.Decide(new SlotHealth(slot, 0, null, null, null)));
        }

        var overall = decisions.Any(decision => decision.Decision == RollbackDecision.Rollback) ? RollbackDecision.Rollback
            : decisions.Any(decision => decision.Decision == RollbackDecision.Healthy) ? RollbackDecision.Healthy
            : RollbackDecision.InsufficientData;
        return new DeploymentHealthReport(requests.Window, clock.GetUtcNow(), overall, decisions);
    }
}
