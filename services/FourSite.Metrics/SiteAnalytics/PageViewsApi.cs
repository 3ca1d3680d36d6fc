using FluentValidation;
using FourSite.Metrics.Rum;
using FourSite.ServiceDefaults.Database;
using FourSite.ServiceDefaults.Http;
using Microsoft.Net.Http.Headers;
using Npgsql;

namespace FourSite.Metrics.SiteAnalytics;

/// <summary>
/// <c>POST /api/analytics/pageview</c>: a generated site's page was opened (public, sent by the page's own script, no
/// cookie). The visitor is kept only as a hash under the day's salt; crawlers and link previewers are not counted.
/// Answered before it is stored, through the same buffer as RUM beacons.
/// </summary>
public static partial class PageViewsApi
{
    public static IEndpointRouteBuilder MapPageViewsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/analytics/pageview", Record)
            .WithTags("Metrics")
            .WithName("RecordPageView")
            .WithSummary("A page of a generated site was opened: {url, referrer}. Answered 202 (counted: false for pages other than sites', crawlers and previewers).");
        return app;
    }

    public static async Task<IResult> Record(PageViewRequest request, IValidator<PageViewRequest> validator, HttpContext context, VisitorSalts salts, RumBuffer buffer,
        MetricsTelemetry telemetry, TimeProvider clock, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        var validation = await validator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return Problems.Validation(validation);
        }

        var page = new Uri(request.Url!);
        var userAgent = context.Request.Headers[HeaderNames.UserAgent].ToString();
        if (PageVisits.SiteSlugOf(page) is not { } slug || DeviceClass.IsAutomated(userAgent))
        {
            telemetry.PageView(counted: false);
            return TypedResults.Accepted((string?)null, new { counted = false });
        }

        try
        {
            var salt = await salts.TodayAsync(cancellationToken);
            var visit = PageVisits.Of(page, request.Referrer, slug, context.Connection.RemoteIpAddress, userAgent, salt);
            await buffer.AddAsync(new AcceptedBeacon(Guid.CreateVersion7(), RumTypes.PageView, null, page.GetLeftPart(UriPartial.Path), DeviceClass.Of(userAgent),
                new RumData(), clock.GetUtcNow(), visit));
        }
        catch (Exception exception) when (exception.IsRedisFailure() || exception is NpgsqlException)
        {
            // Not accepted, so nothing is lost: the page's script drops it silently.
            LogNotRecorded(logs.CreateLogger(typeof(PageViewsApi)), exception.Message);
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "analytics_unavailable", "Page views cannot be taken right now.");
        }

        telemetry.PageView(counted: true);
        return TypedResults.Accepted((string?)null, new { counted = true });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Page view refused, store unreachable: {Reason}")]
    private static partial void LogNotRecorded(ILogger logger, string reason);
}
