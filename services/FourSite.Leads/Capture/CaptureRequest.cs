namespace FourSite.Leads.Capture;

/// <summary>
/// The body of <c>POST /api/leads/capture</c>. Only these fields are read; anything else in the JSON is ignored.
/// <see cref="Website"/> is the form's honeypot: hidden from people, so whoever fills it is a bot. <see cref="ConsentVersion"/>
/// names the consent text the form showed (<see cref="Contracts.Leads.LeadFormConsent"/>).
/// </summary>
public sealed record CaptureRequest(
    string? Email,
    string? SiteId,
    string? ProjectType,
    string? Template,
    List<string>? ProjectInterests,
    List<string>? SocialPlatforms,
    bool? NewsletterOptIn,
    CaptureMetadata? Metadata,
    DateTimeOffset? CaptureTimestamp,
    string? ReferralCode,
    string? Website,
    string? ConsentVersion = null);

/// <summary>How the visitor engaged with the site before leaving their email, and their context.</summary>
public sealed record CaptureMetadata(
    double? TimeOnSite,
    double? ScrollDepth,
    int? InteractionCount,
    List<string>? SectionsViewed,
    string? DeviceType,
    string? ScreenResolution,
    string? Timezone,
    string? Language,
    string? Referrer,
    string? UserAgent,
    string? SessionId);
