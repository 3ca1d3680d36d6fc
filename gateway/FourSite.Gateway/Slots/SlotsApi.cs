using FourSite.Gateway.Identity;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using Yarp.ReverseProxy;

namespace FourSite.Gateway.Slots;

/// <summary>
/// <c>/admin/slots</c> (the operator key, or a signed-in operator): move a service's traffic between its blue and green
/// slots, all at once or as a weighted canary first.
/// </summary>
public static class SlotsApi
{
    /// <summary>A service's routing and where its slots run.</summary>
    public sealed record ServiceSlotsView(SlotRouting Routing, IReadOnlyList<SlotDestination> Destinations);

    /// <summary>One address of a slot.</summary>
    public sealed record SlotDestination(string Slot, string Id, string Address);

    /// <summary>Send <see cref="Slot"/> the given share of traffic: 100 (or none) switches fully, less tries it as a canary.</summary>
    public sealed record SwitchRequest(string? Slot, int? Percent);

    public static IEndpointRouteBuilder MapSlotsApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/slots").WithTags("Admin").AddEndpointFilter<OperatorFilter>().Requires(Credential.OperatorKey);

        admin.MapGet("/", (SlotRegistry slots, IProxyStateLookup proxy) =>
                TypedResults.Ok(proxy.GetClusters().ToDictionary(cluster => cluster.ClusterId, cluster => new ServiceSlotsView(
                    slots.RoutingOf(cluster.ClusterId),
                    cluster.Destinations.Values.Select(destination => new SlotDestination(SlotLoadBalancingPolicy.SlotOf(destination), destination.DestinationId, destination.Model.Config.Address)).ToList()))))
            .WithName("GetSlots")
            .WithSummary("Every service's slot routing and the destinations of each slot.");

        admin.MapPost("/{service}", Switch)
            .WithName("SwitchSlot")
            .WithSummary("Move a service's traffic to a slot, fully or as a weighted canary.");

        return app;
    }

    public static async Task<IResult> Switch(string service, SwitchRequest request, SlotRegistry slots, IProxyStateLookup proxy)
    {
        if (!proxy.TryGetCluster(service, out var cluster))
        {
            return Problems.Of(StatusCodes.Status404NotFound, "unknown_service", $"No service named '{service}' is behind the gateway.");
        }

        if (!SlotRouting.IsSlot(request.Slot) || request.Percent is < 0 or > 100)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "invalid_slot_switch", "slot must be blue or green, and percent from 0 to 100.");
        }

        if (!cluster.Destinations.Values.Any(destination => SlotLoadBalancingPolicy.SlotOf(destination) == request.Slot))
        {
            return Problems.Of(StatusCodes.Status409Conflict, "slot_not_deployed", $"'{service}' has no {request.Slot} slot running.");
        }

        var current = slots.RoutingOf(service);
        var routing = request.Percent is null or 100
            ? new SlotRouting(request.Slot!)
            : new SlotRouting(current.Active == request.Slot ? Other(request.Slot!) : current.Active, request.Slot, request.Percent.Value);
        return TypedResults.Ok(await slots.SetAsync(service, routing));
    }

    private static string Other(string slot) => slot == SlotRouting.Blue ? SlotRouting.Green : SlotRouting.Blue;
}
