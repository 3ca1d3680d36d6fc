namespace FourSite.Contracts.Generation;

/// <summary>
/// Event: who owns a site changed: claimed into an account, verified as its repository's maintainers', or taken over by
/// them (then <see cref="OwnerTokenHash"/> is null: the previous token holder has lost access). Later changes carry a
/// later <see cref="ChangedAt"/>, so an older event arriving late changes nothing.
/// </summary>
public sealed record SiteOwnerChanged(Guid SiteId, Guid? AccountId, bool Verified, string? OwnerTokenHash, DateTimeOffset ChangedAt);
