using FluentValidation;
using FourSite.ServiceDefaults;
using FourSite.ServiceDefaults.Access;
using FourSite.Viral.Data;
using FourSite.Viral.Growth;
using StackExchange.Redis;

namespace FourSite.Viral.Apis;

/// <summary><c>POST /api/share/track</c>, <c>GET /api/viral/sites/{websiteId}</c> and the showcase: shares, the scores they earn, the sites they feature.</summary>
public static partial class ViralApi
{
    /// <summary>Repeats of the same share from one session within this window count once.</summary>
    public static readonly TimeSpan DedupeWindow = TimeSpan.FromSeconds(60);
    public const string SessionHeader = "X-Session-Id";

    public static IEndpointRouteBuilder MapViralApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/share/track", Track)
            .WithTags("Viral")
            .WithName("TrackShare")
            .WithSummary("Record a share of a site and return its new viral score.");

        app.MapGet("/api/viral/sites/{websiteId:guid}", GetSite)
            .WithTags("Viral")
            .WithName("GetSiteViralScore")
            .WithSummary("A site's viral score, shares by platform, visits and leads from shares, K-factor and featured state.");

        app.MapGet("/api/showcase", Showcase)
            .WithTags("Viral")
            .WithName("GetShowcase")
            .WithSummary("The Pro showcase: auto-featured sites, highest viral score first (page of 24).");

        app.MapDelete("/api/showcase/{websiteId:guid}", Withhold)
            .RequireOperatorKey()
            .WithTags("Viral")
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
        LogWithheld(logs.CreateLogger(typeof(ViralApi)), websiteId);
        return TypedResults.NoContent();
    }

    /// <summary>What <see cref="Track"/> works with.</summary>
    public sealed record TrackServices(IValidator<ShareRequest> Validator, ShareStore Shares, HotScores HotScores, ViralTelemetry Telemetry, IConnectionMultiplexer Redis, ILoggerFactory Logs);

    public static async Task<IResult> Track(ShareRequest request, [Microsoft.AspNetCore.Http.AsParameters] TrackServices services, HttpContext context, CancellationToken cancellationToken)
    {
        var validation = await services.Validator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return Problems.Validation(validation);
        }

        var websiteId = Guid.Parse(request.WebsiteId!);
        var session = context.Request.Headers[SessionHeader].ToString() is { Length: > 0 and <= 128 } header ? header : null;
        var client = session ?? context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var shareId = Guid.CreateVersion7();
        var logger = services.Logs.CreateLogger(typeof(ViralApi));

        var dedupeKey = $"foursite:share-dedupe:{websiteId:N}:{request.Platform}:{client}";
        var earlier = await ClaimAsync(services.Redis, dedupeKey, shareId, logger);
        if (earlier is not null)
        {
            var stats = await services.Shares.FindAsync(websiteId, cancellationToken);
            return TypedResults.Ok(new ShareResponse(true, earlier.Value, stats?.ViralScore ?? 0, Duplicate: true));
        }

        var clientIp = context.Connection.RemoteIpAddress;
        if (await services.Shares.TrackAsync(shareId, websiteId, request.Platform!, request.ShareUrl!, request.ReferralCode,
                new Arrival(session, ClientNetwork.Of(clientIp)), clientIp, cancellationToken) is not { } score)
        {
            // Nothing was stored, so a repeat must not be answered as a duplicate of it.
            await ReleaseAsync(services.Redis, dedupeKey, logger);
            return OwnerAccess.SiteRemoved();
        }

        services.Telemetry.Shared(request.Platform!);
        await services.HotScores.SetAsync(websiteId, score);

        return TypedResults.Json(new ShareResponse(true, shareId, score), statusCode: StatusCodes.Status201Created);
    }

    public static async Task<IResult> GetSite(Guid websiteId, ShareStore shares, CancellationToken cancellationToken) =>
        await shares.FindAsync(websiteId, cancellationToken) is { } stats
            ? TypedResults.Ok(new SiteViralResponse(stats.WebsiteId, stats.ViralScore, stats.Shares, stats.SharesByPlatform, stats.VisitsFromShares, stats.LeadsFromShares, stats.KFactor, stats.Featured, stats.Vitals))
            : Problems.Of(StatusCodes.Status404NotFound, "site_not_found", "No such site.");

    /// <summary>The first share of a kind from a client in the window claims it; later ones get the first one's id.</summary>
    private static async Task<Guid?> ClaimAsync(IConnectionMultiplexer redis, string key, Guid shareId, ILogger logger)
    {
        try
        {
            var database = redis.GetDatabase();
            if (await database.StringSetAsync(key, shareId.ToString(), DedupeWindow, When.NotExists))
            {
                return null;
            }

            return Guid.TryParse((string?)await database.StringGetAsync(key), out var earlier) ? earlier : null;
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            // Without Redis a repeat may count twice; losing a real share would be worse.
            LogDedupeSkipped(logger, exception.Message);
            return null;
        }
    }

    private static async Task ReleaseAsync(IConnectionMultiplexer redis, string key, ILogger logger)
    {
        try
        {
            await redis.GetDatabase().KeyDeleteAsync(key);
        }
        catch (Exception exception) when (exception.IsRedisFailure())
        {
            LogDedupeSkipped(logger, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Site {WebsiteId} withheld from the showcase by an operator")]
    private static partial void LogWithheld(ILogger logger, Guid websiteId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Share deduplication skipped: {Reason}")]
    private static partial void LogDedupeSkipped(ILogger logger, string reason);
}

/// <summary>The answer to a tracked share.</summary>
public sealed record ShareResponse(bool Success, Guid ShareId, double ViralScore, bool? Duplicate = null);

/// <summary><c>GET /api/viral/sites/{websiteId}</c>: with its real-user vitals, which featuring requires to be good.</summary>
public sealed record SiteViralResponse(Guid WebsiteId, double ViralScore, int Shares, IReadOnlyDictionary<string, int> SharesByPlatform, int VisitsFromShares, int LeadsFromShares, double KFactor, bool Featured,
    VitalsView Vitals);
