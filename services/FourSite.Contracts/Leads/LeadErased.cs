namespace FourSite.Contracts.Leads;

/// <summary>
/// Event: a person asked to be forgotten; every service drops what it holds under <see cref="PersonHash"/> (only for
/// <see cref="SiteId"/>, when the person erased themselves from one site).
/// </summary>
public sealed record LeadErased(string PersonHash, int LeadsErased, DateTimeOffset ErasedAt, Guid? SiteId = null);
