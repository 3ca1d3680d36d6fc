namespace FourSite.Generation.Sites;

/// <summary>
/// A row of <c>websites</c> without its page (the page is read only to serve it), whether its maintainers verified it (and
/// who), and its suspension by an operator (<c>abuse</c> or <c>legal</c>, with the reason), if any.
/// </summary>
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
    string? VerifiedBy,
    string? Suspension,
    string? SuspensionReason,
    DateTime? SuspendedAt);
