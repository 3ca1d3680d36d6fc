namespace FourSite.Contracts.Leads;

/// <summary>Event: a person asked to be forgotten; every service drops what it holds under <see cref="PersonHash"/>.</summary>
public sealed record LeadErased(string PersonHash, int LeadsErased, DateTimeOffset ErasedAt);
