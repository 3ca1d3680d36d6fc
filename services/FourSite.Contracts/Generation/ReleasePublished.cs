namespace FourSite.Contracts.Generation;

/// <summary>
/// Event: the repository of a verified site published a release (GitHub's signed release webhook), one event per site.
/// <see cref="Notes"/> is the release's Markdown body as GitHub has it; <see cref="Url"/> its page on GitHub.
/// </summary>
public sealed record ReleasePublished(Guid SiteId, string Project, string Tag, string? Notes, string? Url, DateTimeOffset PublishedAt);
