namespace FourSite.Contracts.Generation;

/// <summary>
/// Event: a site was written again in place: same id, slug, leads, shares and score, new content. <see cref="Reason"/> is
/// <c>release</c> (its repository published one, named in <see cref="Release"/>), <c>owner</c> (asked for) or
/// <c>restored</c> (its previous version brought back).
/// </summary>
public sealed record SiteRegenerated(Guid SiteId, string Slug, string Title, string Reason, string? Release, DateTimeOffset RegeneratedAt);
