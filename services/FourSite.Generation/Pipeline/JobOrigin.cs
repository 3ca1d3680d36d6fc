namespace FourSite.Generation.Pipeline;

/// <summary>
/// Where a new site's request came from, recorded with its job: the client's network (which quotas count by), the terms
/// the person accepted, and why the site is to be reviewed (a burst from one network), when it is.
/// </summary>
public sealed record JobOrigin(string? Network, string? TermsVersion, string? ReviewReason);
