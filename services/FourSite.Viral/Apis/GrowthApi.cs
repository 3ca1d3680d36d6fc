using System.Globalization;
using FourSite.ServiceDefaults;
using FourSite.ServiceDefaults.Access;
using FourSite.Viral.Data;
using FourSite.Viral.Growth;

namespace FourSite.Viral.Apis;

/// <summary>Visits that came through shares, and the daily viral coefficient they feed.</summary>
public static class GrowthApi
{
    public static IEndpointRouteBuilder MapGrowthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/share/visit", Visit)
            .WithTags("Viral")
            .WithName("RecordShareVisit")
            .WithSummary("A visit that arrived through a shared link (?via=platform) or a referral code (?ref=code); one per session and site.");

        app.MapGet("/api/viral/coefficient", Coefficient)
            .WithTags("Viral")
            .WithName("GetViralCoefficient")
            .WithSummary("A UTC day's viral coefficient (verified, with the raw value beside it) and the share → visit → lead funnel per platform.");

        return app;
    }

    /// <summary>The body of <c>POST /api/share/visit</c>.</summary>
    public sealed record VisitRequest(string? WebsiteId, string? Platform, string? ReferralCode);

    public static async Task<IResult> Visit(VisitRequest request, HttpContext context, ConversionStore conversions, HotScores hotScores, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Guid.TryParse(request.WebsiteId, out var websiteId)) errors["websiteId"] = ["websiteId must be a UUID."];
        if (request.Platform is not null && !SharePlatforms.IsKnown(request.Platform)) errors["platform"] = [$"platform must be one of: {string.Join(", ", SharePlatforms.All)}."];
        if (request.ReferralCode is not null && !ReferralCodes.IsWellFormed(request.ReferralCode)) errors["referralCode"] = ["referralCode must be 4 to 32 letters, digits, '-' or '_'."];
        if (request.Platform is null && request.ReferralCode is null) errors["platform"] = ["Give the platform the link was shared on, a referral code, or both."];
        var session = context.Request.Headers[ViralApi.SessionHeader].ToString();
        if (session.Length is 0 or > 128) errors[ViralApi.SessionHeader] = ["A visit needs its X-Session-Id header (1 to 128 characters)."];
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var visitor = new Arrival(session, ClientNetwork.Of(context.Connection.RemoteIpAddress));
        var outcome = await conversions.RecordVisitAsync(websiteId, request.Platform, request.ReferralCode, visitor, cancellationToken);
        if (outcome.Recorded)
        {
            await hotScores.SetAsync(websiteId, outcome.ViralScore);
        }

        // The answer does not say whether the visit was flagged: that would teach a gamer what to change.
        return TypedResults.Accepted((string?)null, new VisitResponse(outcome.Recorded));
    }

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

public sealed record VisitResponse(bool Counted);

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
