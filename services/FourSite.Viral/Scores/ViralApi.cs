using System.Globalization;
using FluentValidation;
using FourSite.ServiceDefaults.Http;
using FourSite.Viral.Shares;

namespace FourSite.Viral.Scores;

/// <summary><c>/api/viral</c>: a site's viral score and what makes it, and the platform's daily viral coefficient.</summary>
public static class ViralApi
{
    public static IEndpointRouteBuilder MapViralApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/viral").WithTags("Viral");

        api.MapGet("/sites/{websiteId:guid}", GetSite)
            .WithName("GetSiteViralScore")
            .WithSummary("A site's viral score, shares by platform, visits and leads from shares, K-factor and featured state.");

        api.MapGet("/coefficient", Coefficient)
            .WithName("GetViralCoefficient")
            .WithSummary("A UTC day's viral coefficient (verified, with the raw value beside it) and the share → visit → lead funnel per platform.");

        return app;
    }

    public static async Task<IResult> GetSite(Guid websiteId, ShareStore shares, CancellationToken cancellationToken) =>
        await shares.FindAsync(websiteId, cancellationToken) is { } stats
            ? TypedResults.Ok(new SiteViralResponse(stats.WebsiteId, stats.ViralScore, stats.Shares, stats.SharesByPlatform, stats.VisitsFromShares, stats.LeadsFromShares, stats.KFactor, stats.Featured, stats.Vitals))
            : Problems.Of(StatusCodes.Status404NotFound, "site_not_found", "No such site.");

    public static async Task<IResult> Coefficient(string? date, CoefficientStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        DateOnly day;
        if (date is null)
        {
            day = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        }
        else if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["date"] = ["date must be a day as yyyy-MM-dd."] });
        }

        var growth = await store.ForDayAsync(day, cancellationToken);
        return TypedResults.Ok(new CoefficientResponse(
            growth.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            growth.Verified.ViralCoefficient,
            growth.Verified.InvitesPerUser,
            growth.Verified.ConversionRate,
            growth.Raw.ViralCoefficient,
            growth.Raw.ConversionRate,
            growth.Shares,
            growth.Sharers,
            growth.Conversions,
            growth.VerifiedConversions,
            growth.Funnel));
    }
}

/// <summary><c>GET /api/viral/sites/{websiteId}</c>: with its real-user vitals, which featuring requires to be good.</summary>
public sealed record SiteViralResponse(Guid WebsiteId, double ViralScore, int Shares, IReadOnlyDictionary<string, int> SharesByPlatform, int VisitsFromShares, int LeadsFromShares, double KFactor, bool Featured,
    VitalsView Vitals);

/// <summary><c>GET /api/viral/coefficient</c>: verified K and its parts, raw K beside it, and the funnel.</summary>
public sealed record CoefficientResponse(
    string Date,
    double ViralCoefficient,
    double InvitesPerUser,
    double ConversionRate,
    double RawViralCoefficient,
    double RawConversionRate,
    int Shares,
    int Sharers,
    int Conversions,
    int VerifiedConversions,
    IReadOnlyList<PlatformFunnel> Funnel);
