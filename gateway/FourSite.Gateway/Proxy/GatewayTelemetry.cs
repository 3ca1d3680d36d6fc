using System.Diagnostics;
using System.Diagnostics.Metrics;
using Yarp.ReverseProxy.Model;

namespace FourSite.Gateway.Proxy;

/// <summary>
/// Per-route request metrics with the status code class, from which golden signals (latency, traffic, errors) are
/// computed per public endpoint.
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

    public static IApplicationBuilder UseGatewayTelemetry(IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var telemetry = context.RequestServices.GetRequiredService<GatewayTelemetry>();
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next();
        }
        finally
        {
            var route = context.Features.Get<IReverseProxyFeature>()?.Route.Config.RouteId
                ?? (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText
                ?? "unmatched";
            var tags = new TagList
            {
                { "route", route },
                { "method", context.Request.Method },
                { "status_class", $"{context.Response.StatusCode / 100}xx" },
            };
            telemetry._requests.Add(1, tags);
            telemetry._duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        }
    });

    public void Dispose() => _meter.Dispose();
}
