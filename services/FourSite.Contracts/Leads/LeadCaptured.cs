namespace FourSite.Contracts.Leads;

/// <summary>
/// Event: a visitor left an email on a site (first capture, or a repeat merged into the same lead). The email itself
/// never travels: <see cref="PersonHash"/> is the SHA-256 (lower-case hex) of the normalised address.
/// </summary>
public sealed record LeadCaptured(
    Guid LeadId,
    Guid SiteId,
    string PersonHash,
    int LeadScore,
    bool Duplicate,
    bool NewsletterOptIn,
    string? ProjectType,
    string? DeviceType,
    string? ReferralCode,
    string? Referrer,
    string? SessionId,
    string? ClientNetwork,
    IReadOnlyList<string> RiskFlags,
    DateTimeOffset CapturedAt);
