using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;

namespace FourSite.Metrics.SiteAnalytics;

/// <summary>
/// <c>GET /api/sites/{siteId}/analytics?period=7d|30d|90d[&amp;format=csv]</c>: a site's analytics for its owner (its
/// account or its owner token; anyone else 403), read from the rollups, at most a minute behind.
/// </summary>
public static class SiteAnalyticsApi
{
    public static IEndpointRouteBuilder MapSiteAnalyticsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/sites/{siteId}/analytics", Read)
            .WithTags("Analytics")
            .WithName("GetSiteAnalytics")
            .WithSummary("The site's visitors, page views, sources, devices, funnel, shares per channel and real-user vitals over the last 7, 30 or 90 days (format=csv: a day a row).")
            .RequireSiteOwner(UnknownSite.NotYetKnown);
        return app;
    }

    public static async Task<IResult> Read(string siteId, string? period, string? format, SiteAnalyticsReader reader, HttpContext context, CancellationToken cancellationToken)
    {
        period ??= AnalyticsPeriods.Default;
        if (!AnalyticsPeriods.Days.ContainsKey(period))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["period"] = [$"period must be one of: {string.Join(", ", AnalyticsPeriods.Days.Keys)}."] });
        }

        if (format is not (null or "json" or "csv"))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["format"] = ["format must be json or csv."] });
        }

        var report = await reader.ReadAsync(Guid.Parse(siteId), period, cancellationToken);
        // The owner's own figures: never kept by a shared cache.
        context.Response.Headers.CacheControl = "private, no-store";
        if (format == "csv")
        {
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"{SiteAnalyticsCsv.FileName(report)}\"";
            return TypedResults.Text(SiteAnalyticsCsv.Write(report), SiteAnalyticsCsv.ContentType);
        }

        return TypedResults.Ok(report);
    }
}
