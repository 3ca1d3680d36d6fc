using FluentValidation;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using FourSite.Viral.Shares;

namespace FourSite.Viral.Showcase;

/// <summary><c>/api/showcase</c>: the Pro showcase of featured sites, and operators withholding a site from it.</summary>
public static partial class ShowcaseApi
{
    public static IEndpointRouteBuilder MapShowcaseApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/showcase").WithTags("Showcase");

        api.MapGet("", Showcase)
            .WithName("GetShowcase")
            .WithSummary("The Pro showcase: auto-featured sites, highest viral score first (page of 24).");

        api.MapDelete("/{websiteId:guid}", Withhold)
            .RequireOperatorKey()
            .WithName("WithholdFromShowcase")
            .WithSummary("Operators: take a site out of the showcase for good (it is not featured again).");

        return app;
    }

    public const int ShowcasePageSize = 24;

    public static async Task<IResult> Showcase(int? page, ShareStore shares, CancellationToken cancellationToken) =>
        page is < 1 or > 10_000
            ? Problems.Of(StatusCodes.Status400BadRequest, "invalid_page", "page must be a number from 1.")
            : TypedResults.Ok(await shares.ShowcaseAsync(page ?? 1, ShowcasePageSize, cancellationToken));

    public static async Task<IResult> Withhold(Guid websiteId, ShowcaseModeration moderation, ViralTelemetry telemetry, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (!await moderation.WithholdAsync(websiteId, cancellationToken))
        {
            return Problems.Of(StatusCodes.Status404NotFound, "site_not_found", "No such site.");
        }

        telemetry.Withheld();
        LogWithheld(logs.CreateLogger(typeof(ShowcaseApi)), websiteId);
        return TypedResults.NoContent();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Site {WebsiteId} withheld from the showcase by an operator")]
    private static partial void LogWithheld(ILogger logger, Guid websiteId);
}
