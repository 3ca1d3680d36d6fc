namespace FourSite.Contracts.Viral;

/// <summary>Event: a site was shared (counted shares only; a repeat within the dedupe window is not announced).</summary>
public sealed record ShareTracked(Guid ShareId, Guid WebsiteId, string Platform, string? ReferralCode, double ViralScore, DateTimeOffset TrackedAt);
