using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace FourSite.Gateway.Slots;

/// <summary>
/// YARP load balancing by slot: a cluster's destinations are named by slot (<c>blue</c>, <c>green</c>; service discovery
/// keeps the name as a prefix when it expands one into several addresses), and a request
/// goes to a destination of the slot the service's routing picks. A request already sent stays where it went, so a
/// switch drops nothing; if the picked slot has no live destination the other one serves.
/// </summary>
public sealed class SlotLoadBalancingPolicy(SlotRegistry slots) : ILoadBalancingPolicy
{
    public const string PolicyName = "Slots";

    public string Name => PolicyName;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        if (availableDestinations.Count == 0)
        {
            return null;
        }

        // Spreading requests over slots and replicas needs no unpredictability, only speed.
#pragma warning disable CA5394 // Random is not used for security here
        var slot = slots.RoutingOf(cluster.ClusterId).SlotFor(Random.Shared.NextDouble() * 100);
        var inSlot = availableDestinations.Where(destination => SlotOf(destination) == slot).ToList();
        var candidates = inSlot.Count > 0 ? inSlot : availableDestinations;
        return candidates[Random.Shared.Next(candidates.Count)];
#pragma warning restore CA5394
    }

    public static string SlotOf(DestinationState destination) =>
        destination.DestinationId.StartsWith(SlotRouting.Green, StringComparison.OrdinalIgnoreCase) ? SlotRouting.Green : SlotRouting.Blue;
}
