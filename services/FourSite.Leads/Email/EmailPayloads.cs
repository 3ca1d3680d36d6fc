namespace FourSite.Leads.Email;

/// <summary>What a confirmation is composed from.</summary>
public sealed record ConfirmationPayload(string Token, string Project, string? Slug);

/// <summary>What a notification address's verification is composed from.</summary>
public sealed record AddressVerificationPayload(string Token);

/// <summary>A new lead, as the maintainer may see it (the email masked unless they are the site's verified maintainer).</summary>
public sealed record NewLeadPayload(string Project, string LeadEmail, int LeadScore, bool NewsletterOptIn, DateTimeOffset CapturedAt);

/// <summary>A day's leads, as the maintainer may see them.</summary>
public sealed record LeadDigestPayload(string Project, int Count, IReadOnlyList<DigestLead> Top, DateTimeOffset Since);

public sealed record DigestLead(string Email, int LeadScore);

/// <summary>An announcement sent as a test has no subscriber behind it.</summary>
public sealed record AnnouncementPayload(bool Test);

/// <summary>An operator's decision on a site, as its maintainer is told: <see cref="Kind"/> <c>abuse</c> or <c>legal</c>, or null when reinstated.</summary>
public sealed record SiteModerationPayload(string Project, string? Slug, string? Kind, string? Reason);

/// <summary>A person's link to their own data.</summary>
public sealed record PrivacyLinkPayload(string Token);

public sealed record OperatorAlertPayload(string Rule, string Severity, string Transition, string Message, double? Value, double Threshold, DateTimeOffset At);
