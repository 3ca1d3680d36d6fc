namespace FourSite.Generation.Sites;

/// <summary>A row of <c>websites</c> without its page (the page is read only to serve it), and whether its maintainers verified it (and who).</summary>
public sealed record Website(
    Guid Id,
    Guid JobId,
    string Slug,
    string SiteData,
    string Model,
    bool FallbackUsed,
    string? AiError,
    double GenerationTimeMs,
    Guid OwnerId,
    DateTime CreatedAt,
    bool Verified,
    string? VerifiedBy);
