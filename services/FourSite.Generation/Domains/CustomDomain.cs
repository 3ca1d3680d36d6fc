namespace FourSite.Generation.Domains;

/// <summary>A custom domain of a site, as its owner sees it: pending until its TXT record is found, then verified.</summary>
public sealed record CustomDomain(string Domain, string Status, DomainVerification Verification, DateTimeOffset CreatedAt, DateTimeOffset? VerifiedAt);

/// <summary>The DNS record that proves the owner controls the domain.</summary>
public sealed record DomainVerification(string Type, string Name, string Value);

/// <summary>A domain the gateway serves, and the site it serves there.</summary>
public sealed record ServedDomain(string Domain, Guid SiteId, string Slug);
