namespace FourSite.Leads.Announcements;

/// <summary><c>POST /api/sites/{siteId}/announcements</c>: a subject, a Markdown body, and who gets it (<c>test</c>: the maintainer; <c>subscribers</c>).</summary>
public sealed record AnnouncementRequest(string? Subject, string? Markdown, string? Audience);

/// <summary>Sending a draft, optionally edited first.</summary>
public sealed record DraftSendRequest(string? Subject, string? Markdown);

public sealed record AnnouncementSettingsRequest(string? Releases);

public sealed record AnnouncementSettings(string Releases);

public sealed record PreviewResponse(string Subject, string Html, string Text);

public sealed record AnnouncementQueued(Guid AnnouncementId, string Audience, int Recipients);
