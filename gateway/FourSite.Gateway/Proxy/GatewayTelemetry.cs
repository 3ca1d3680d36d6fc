using System.Diagnostics;
using System.Diagnostics.Metrics;
using FourSite.Gateway.Signals;
using FourSite.Gateway.Slots;
using FourSite.ServiceDefaults.Telemetry;
using Yarp.ReverseProxy.Model;

namespace FourSite.Gateway.Proxy;

/// <summary>
/// Per-route request metrics with the status code class, and the same counts per deployment slot for the golden
/// signals Metrics computes (latency, traffic, errors per public endpoint).
/// </summary>
public sealed class GatewayTelemetry : IDisposable
{
    public const string Name = "FourSite.Gateway";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;

    public GatewayTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        _requests = _meter.CreateCounter<long>("foursite.gateway.requests", description: "Requests by route, method and status class.");
        _duration = _meter.CreateHistogram<double>("foursite.gateway.request.duration", "s", "Request duration by route, method and status class.");
    }

    public static IApplicationBuilder UseGatewayTelemetry(IApplicationBuilder app)
    {
        // Both are singletons: resolved once, not on every request.
        var telemetry = app.ApplicationServices.GetRequiredService<GatewayTelemetry>();
        var signals = app.ApplicationServices.GetRequiredService<RequestSignalRecorder>();
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next();
            }
            finally
            {
                var proxy = context.Features.Get<IReverseProxyFeature>();
                var route = proxy?.Route.Config.RouteId
                    ?? (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText
                    ?? "unmatched";
                var elapsed = Stopwatch.GetElapsedTime(started);
                var tags = new TagList
                {
                    { "route", route },
                    { "method", context.Request.Method },
                    { "status_class", RequestSignals.StatusClass(context.Response.StatusCode) },
                };
                telemetry._requests.Add(1, tags);
                telemetry._duration.Record(elapsed.TotalSeconds, tags);
                // An event stream lasts as long as its job, so it counts as a request but says nothing of latency.
                var streamed = context.Response.ContentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true;
                signals.Record($"{context.Request.Method} {route}",
                    proxy?.ProxiedDestination is { } destination ? SlotLoadBalancingPolicy.SlotOf(destination) : "gateway",
                    context.Response.StatusCode, streamed ? null : elapsed.TotalMilliseconds);
            }
        });
    }

    public void Dispose() => _meter.Dispose();
}
