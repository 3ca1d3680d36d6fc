using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Model;

namespace FourSite.Gateway.Slots;

/// <summary>
/// An operator's request naming a slot in <see cref="Header"/> is served by that slot only, live or idle, or by none
/// (503): that is how a release smoke-tests the idle slot before any user reaches it. Without the operator key the
/// header is ignored, so visitors always reach the live slot.
/// </summary>
public static class SlotPinning
{
    public const string Header = "X-FourSite-Slot";

    public static void UseSlotPinning(this IReverseProxyApplicationBuilder proxy) => proxy.Use(async (context, next) =>
    {
        var slot = context.Request.Headers[Header].ToString();
        if (!SlotRouting.IsSlot(slot) || OperatorKeyFilter.Check(context, context.RequestServices.GetRequiredService<IOptionsMonitor<OperatorOptions>>().CurrentValue) is not null)
        {
            await next();
            return;
        }

        var feature = context.GetReverseProxyFeature();
        var inSlot = feature.AvailableDestinations.Where(destination => SlotLoadBalancingPolicy.SlotOf(destination) == slot).ToList();
        if (inSlot.Count == 0)
        {
            await Problems.Of(StatusCodes.Status503ServiceUnavailable, "slot_not_running", $"No {slot} destination of this service is running.").ExecuteAsync(context);
            return;
        }

        feature.AvailableDestinations = inSlot;
        await next();
    });
}
