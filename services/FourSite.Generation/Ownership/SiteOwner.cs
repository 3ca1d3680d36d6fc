using FourSite.ServiceDefaults.Access;

namespace FourSite.Generation.Ownership;

/// <summary>Who owns a site: its token holder (by hash), its account, and whether that account proved it maintains the repository.</summary>
public sealed record SiteOwner(Guid SiteId, string RepoOwner, string RepoName, string? OwnerTokenHash, Guid? AccountId, string? VerifiedPermission)
    : ISiteOwner
{
    public bool Verified => VerifiedPermission is not null;

    public string Repository => $"{RepoOwner}/{RepoName}";
}

/// <summary>How a verification ended.</summary>
public enum VerificationOutcome
{
    Verified,
    TakenOver,
    VerifiedElsewhere,
    NotFound,
}
