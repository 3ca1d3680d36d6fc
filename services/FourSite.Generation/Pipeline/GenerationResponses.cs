using FourSite.Generation.Writers;

namespace FourSite.Generation.Pipeline;

/// <summary>The answer of a generation that finished in time.</summary>
public sealed record GenerateResponse(
    bool Success,
    Guid JobId,
    Guid SiteId,
    string Slug,
    string SiteUrl,
    SiteData SiteData,
    double GenerationTime,
    string Model,
    bool FallbackUsed,
    Guid OwnerId,
    string OwnerToken,
    string? Error = null);

/// <summary>The answer when the job goes on in the background (202). The owner token is handed out now, once.</summary>
public sealed record GenerateAccepted(Guid JobId, string Status, string StatusUrl, Guid OwnerId, string OwnerToken);

/// <summary><c>GET /api/generate/{jobId}</c>.</summary>
public sealed record JobStatusResponse(Guid JobId, string Status, string Stage, int Progress, Guid? SiteId, string? Error, string? ErrorCode);
