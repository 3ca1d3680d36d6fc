using FluentValidation;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Database;
using FourSite.ServiceDefaults.Http;
using FourSite.Viral.Referrals;
using StackExchange.Redis;

namespace FourSite.Viral.Shares;

/// <summary><c>/api/share</c>: shares of a site (each earning it viral score), and the visits they bring.</summary>
public static partial class SharesApi
{
    /// <summary>Repeats of the same share from one session within this window count once.</summary>
    public static readonly TimeSpan DedupeWindow = TimeSpan.FromSeconds(60);
    public const string SessionHeader = "X-Session-Id";

    public static IEndpointRouteBuilder MapSharesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/share").WithTags("Shares");

        api.MapPost("/track", Track)
            .WithName("TrackShare")
            .WithSummary("Record a share of a site and return its new viral score.");

        api.MapPost("/visit", Visit)
            .WithName("RecordShareVisit")
            .WithSummary("A visit that arrived through a shared link (?via=platform) or a referral code (?ref=code); one per session and site.");

        return app;
    }

    /// <summary>What <see cref="Track"/> works with.</summary>
    public sealed record TrackServices(IValidator<ShareRequest> Validator, ShareStore Shares, ViralTelemetry Telemetry, IConnectionMultiplexer Redis, ILoggerFactory Logs);

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
        var logger = services.Logs.CreateLogger(typeof(SharesApi));

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

        // The hot copy of the score follows with the fold (ScoreFolder), once a second, not once a share.
        services.Telemetry.Shared(request.Platform!);

        return TypedResults.Json(new ShareResponse(true, shareId, score), statusCode: StatusCodes.Status201Created);
    }

    /// <summary>The body of <c>POST /api/share/visit</c>.</summary>
    public sealed record VisitRequest(string? WebsiteId, string? Platform, string? ReferralCode);

    public static async Task<IResult> Visit(VisitRequest request, HttpContext context, ConversionStore conversions, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Guid.TryParse(request.WebsiteId, out var websiteId)) errors["websiteId"] = ["websiteId must be a UUID."];
        if (request.Platform is not null && !SharePlatforms.IsKnown(request.Platform)) errors["platform"] = [$"platform must be one of: {string.Join(", ", SharePlatforms.All)}."];
        if (request.ReferralCode is not null && !ReferralCodes.IsWellFormed(request.ReferralCode)) errors["referralCode"] = ["referralCode must be 4 to 32 letters, digits, '-' or '_'."];
        if (request.Platform is null && request.ReferralCode is null) errors["platform"] = ["Give the platform the link was shared on, a referral code, or both."];
        var session = context.Request.Headers[SessionHeader].ToString();
        if (session.Length is 0 or > 128) errors[SessionHeader] = ["A visit needs its X-Session-Id header (1 to 128 characters)."];
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var visitor = new Arrival(session, ClientNetwork.Of(context.Connection.RemoteIpAddress));
        var outcome = await conversions.RecordVisitAsync(websiteId, request.Platform, request.ReferralCode, visitor, cancellationToken);

        // The answer does not say whether the visit was flagged: that would teach a gamer what to change.
        return TypedResults.Accepted((string?)null, new VisitResponse(outcome.Recorded));
    }

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Share deduplication skipped: {Reason}")]
    private static partial void LogDedupeSkipped(ILogger logger, string reason);
}

/// <summary>The answer to a tracked share.</summary>
public sealed record ShareResponse(bool Success, Guid ShareId, double ViralScore, bool? Duplicate = null);

public sealed record VisitResponse(bool Counted);
