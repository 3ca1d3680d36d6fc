namespace FourSite.Contracts.Viral;

/// <summary>Event: a site's shares reached a milestone (10, 100, 1,000): announced once each, by the share that reached it.</summary>
public sealed record ShareMilestoneReached(Guid WebsiteId, int Shares, DateTimeOffset ReachedAt);
