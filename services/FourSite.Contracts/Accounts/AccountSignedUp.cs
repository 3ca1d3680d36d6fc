namespace FourSite.Contracts.Accounts;

/// <summary>Event: a GitHub account signed in for the first time (a signup). Published once per account.</summary>
public sealed record AccountSignedUp(Guid AccountId, DateTimeOffset SignedUpAt);
