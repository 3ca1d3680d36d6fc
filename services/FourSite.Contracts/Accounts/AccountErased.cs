namespace FourSite.Contracts.Accounts;

/// <summary>
/// Event: an account was erased at its holder's request. Its sites are removed (each with its own <c>SiteRemoved</c>);
/// services drop what else they keep for it (referral codes) and keep records of money without the account.
/// </summary>
public sealed record AccountErased(Guid AccountId, DateTimeOffset ErasedAt);
