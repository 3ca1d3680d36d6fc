using FluentValidation;
using FourSite.ServiceDefaults.Database;
using FourSite.Metrics.SiteAnalytics;
using FourSite.ServiceDefaults.Http;

namespace FourSite.Metrics.Rum;

/// <summary><c>POST /api/analytics/rum</c>: real-user beacons from every page (public, answered before they are stored).</summary>
public static partial class RumApi
{
    public static IEndpointRouteBuilder MapRumApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/analytics/rum", Accept)
            .WithTags("Metrics")
            .WithName("AcceptRumBeacon")
            .WithSummary("A real-user beacon: core_web_vitals (compound lcp, fid, inp, cls, fcp, ttfb, or one {metric, value}), ai_generation or viral_interaction; timestamp ISO-8601 or epoch ms. Answered 202; stored in batches.");
        return app;
    }

    public static async Task<IResult> Accept(RumBeacon beacon, IValidator<RumBeacon> validator, RumBuffer buffer, MetricsTelemetry telemetry, TimeProvider clock,
        ILoggerFactory logs, CancellationToken cancellationToken)
    {
        beacon = beacon with { Data = beacon.Data?.Compound() };
        var validation = await validator.ValidateAsync(beacon, cancellationToken);
        if (!validation.IsValid)
        {
            return Problems.Validation(validation);
        }

        var accepted = new AcceptedBeacon(Guid.CreateVersion7(), beacon.Type!, beacon.SessionId, beacon.Url, DeviceClass.Of(beacon.UserAgent), beacon.Data!, beacon.Timestamp ?? clock.GetUtcNow());
        try
        {
            await buffer.AddAsync(accepted);
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            // Not accepted, so nothing is lost: the page's script drops the beacon silently.
            LogNotBuffered(logs.CreateLogger(typeof(RumApi)), exception.Message);
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "rum_unavailable", "Beacons cannot be taken right now.");
        }

        telemetry.Beacon(accepted);
        return TypedResults.Accepted((string?)null, new { accepted = true, id = accepted.Id });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "RUM beacon refused, buffer unreachable: {Reason}")]
    private static partial void LogNotBuffered(ILogger logger, string reason);
}
