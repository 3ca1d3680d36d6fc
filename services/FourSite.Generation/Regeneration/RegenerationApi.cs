using System.Globalization;
using FourSite.Generation.Pipeline;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;

namespace FourSite.Generation.Regeneration;

/// <summary>
/// The owner regenerates a site in place (same address, leads, shares and score; content from the repository as it is
/// now) and, if the new version is worse, restores the previous one.
/// </summary>
public static class RegenerationApi
{
    public static IEndpointRouteBuilder MapRegenerationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sites/{siteId:guid}").WithTags("Sites").RequireSiteOwner(UnknownSite.NotFound);

        api.MapPost("/regenerate", Regenerate)
            .WithName("RegenerateSite")
            .WithSummary("Writes the site again from its repository as it is now, in place (the owner; one at a time, a few an hour); follow the job it answers with.");

        api.MapPost("/restore", Restore)
            .WithName("RestoreSite")
            .WithSummary("Brings back the version the last regeneration replaced (the owner).");

        return app;
    }

    public static async Task<IResult> Regenerate(Guid siteId, HttpContext context, RegenerationStore regenerations, CancellationToken cancellationToken)
    {
        var request = await regenerations.RequestAsync(siteId, cancellationToken);
        switch (request.Refusal)
        {
            case RegenerationRefusal.SiteNotFound:
                return SiteNotFound();
            case RegenerationRefusal.UnderWay:
                return Problems.Of(StatusCodes.Status409Conflict, "regeneration_under_way", "This site is being regenerated already; follow that job.");
            case RegenerationRefusal.TooMany:
                var seconds = (int)Math.Ceiling(request.RetryAfter!.Value.TotalSeconds);
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return Problems.Of(StatusCodes.Status429TooManyRequests, "too_many_regenerations", $"A site may be regenerated a few times an hour; try again in {seconds} s.");
        }

        var job = request.Job!;
        return TypedResults.Accepted($"/api/generate/{job.Id}", new
        {
            jobId = job.Id,
            siteId,
            status = job.Status,
            statusUrl = $"/api/generate/{job.Id}",
            eventsUrl = $"/api/generate/{job.Id}/events",
        });
    }

    public static async Task<IResult> Restore(Guid siteId, RegenerationStore regenerations, CancellationToken cancellationToken)
    {
        var slug = await regenerations.RestoreAsync(siteId, cancellationToken);
        return slug is null
            ? Problems.Of(StatusCodes.Status409Conflict, "nothing_to_restore", "This site has not been regenerated, so there is no previous version.")
            : TypedResults.Ok(new { siteId, slug, url = GenerateApi.SiteUrl(slug), restored = true });
    }

    private static IResult SiteNotFound() => Problems.Of(StatusCodes.Status404NotFound, "site_not_found", "No such site.");
}
