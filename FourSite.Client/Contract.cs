namespace FourSite.Client;

// The bodies of the public contract (camelCase on the wire). Responses that dashboards read freely stay JsonElement.

public sealed record GenerateRequest(string RepoUrl);

public sealed record JobStatus(Guid JobId, string Status, string Stage, int Progress, Guid? SiteId, string? Error);

public sealed record CaptureMetadata(
    int? TimeOnSite = null,
    int? ScrollDepth = null,
    int? InteractionCount = null,
    IReadOnlyList<string>? SectionsViewed = null,
    string? DeviceType = null,
    string? ScreenResolution = null,
    string? Timezone = null,
    string? Language = null,
    string? Referrer = null,
    string? UserAgent = null,
    string? SessionId = null);

public sealed record CaptureRequest(
    string Email,
    Guid SiteId,
    string? ProjectType = null,
    string? Template = null,
    IReadOnlyList<string>? ProjectInterests = null,
    IReadOnlyList<string>? SocialPlatforms = null,
    bool NewsletterOptIn = false,
    CaptureMetadata? Metadata = null,
    DateTimeOffset? CaptureTimestamp = null,
    string? ReferralCode = null);

public sealed record CaptureResponse(bool Success, Guid LeadId, int LeadScore, bool? Duplicate = null);

public sealed record ShareRequest(Guid WebsiteId, string Platform, string ShareUrl, string? ReferralCode = null);

public sealed record ShareResponse(bool Success, Guid ShareId, double ViralScore, bool? Duplicate = null);

public sealed record VisitRequest(Guid WebsiteId, string? Platform = null, string? ReferralCode = null);

public sealed record SiteViralScore(Guid WebsiteId, double ViralScore, int Shares, IReadOnlyDictionary<string, int> SharesByPlatform, int VisitsFromShares, int LeadsFromShares, double KFactor, bool Featured,
    SiteVitals? Vitals = null);

/// <summary>A site's real-user Core Web Vitals (75th percentile over 7 days) and whether they allow featuring (<c>good</c>).</summary>
public sealed record SiteVitals(double? LcpP75, double? ClsP75, double? InpP75, int Samples, string Assessment);

public sealed record ShowcaseEntry(Guid SiteId, string? Slug, string? Title, double ViralScore, DateTimeOffset FeaturedAt, bool Pro = false);

public sealed record Referral(string Code, Guid OwnerId, Guid SiteId, string? SharePath, DateTimeOffset CreatedAt);

public sealed record CommissionRate(Guid? UserId, int Months, decimal Rate);

public sealed record CheckoutRequest(Guid SiteId, string Plan, string? ReferralCode = null);

public sealed record Checkout(string CheckoutUrl, string SessionId);

public sealed record RumData(double? Lcp = null, double? Fid = null, double? Inp = null, double? Cls = null, double? Duration = null, bool? Success = null, string? Model = null, string? Action = null, string? Platform = null,
    double? Fcp = null, double? Ttfb = null, string? Metric = null, double? Value = null, double? SessionTime = null);

public sealed record RumBeacon(string Type, RumData Data, string? SessionId = null, string? Url = null, string? UserAgent = null, DateTimeOffset? Timestamp = null);

/// <summary>A beacon taken (<c>202</c>): its id is the id it is stored under.</summary>
public sealed record RumAccepted(bool Accepted, Guid Id);
