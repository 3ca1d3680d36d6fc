using FourSite.Gateway.Slots;
using FourSite.ServiceDefaults.Http;
using Yarp.ReverseProxy.Forwarder;

namespace FourSite.Gateway.Proxy;

/// <summary>
/// Turns a failed forward into a problem that names the route: a service that is down or refuses is 503, one that
/// does not answer in time is 504, anything else 502. Never a hang, never a stack trace.
/// </summary>
public static class ProxyErrors
{
    /// <summary>
    /// The proxy's own steps (a custom pipeline replaces YARP's defaults, so they are listed here): failures as problems,
    /// then an operator's pinned slot, affinity, load balancing (by slot) and passive health, as YARP would order them.
    /// </summary>
    public static void UseGatewayProxyPipeline(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.UseProblemsForProxyErrors();
        proxy.UseSlotPinning();
        proxy.UseSessionAffinity();
        proxy.UseLoadBalancing();
        proxy.UsePassiveHealthChecks();
    }

    private static void UseProblemsForProxyErrors(this IReverseProxyApplicationBuilder proxy) => proxy.Use(async (context, next) =>
    {
        await next();
        var error = context.GetForwarderErrorFeature();
        if (error is null || context.Response.HasStarted)
        {
            return;
        }

        var route = context.GetReverseProxyFeature().Route.Config.RouteId;
        var (status, code, title) = error.Error switch
        {
            ForwarderError.RequestTimedOut => (StatusCodes.Status504GatewayTimeout, "service_timeout", "The service did not answer in time."),
            ForwarderError.NoAvailableDestinations or ForwarderError.Request => (StatusCodes.Status503ServiceUnavailable, "service_unavailable", "The service is unavailable."),
            ForwarderError.RequestCanceled => (StatusCodes.Status400BadRequest, "request_canceled", "The request was canceled."),
            ForwarderError.RequestBodyClient => (StatusCodes.Status400BadRequest, "bad_request_body", "The request body could not be read."),
            _ => (StatusCodes.Status502BadGateway, "bad_gateway", "The service answered badly."),
        };
        context.Response.Headers.Remove("Content-Type");
        await Problems.Of(status, code, title, $"Route '{route}' failed: {error.Error}.", new Dictionary<string, object?> { ["route"] = route })
            .ExecuteAsync(context);
    });
}
