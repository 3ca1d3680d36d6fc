using FourSite.ServiceDefaults.Identity;

namespace FourSite.Generation.Moderation;

/// <summary>A report as filed: <see cref="Network"/> is the reporter's coarse network, or <c>foursite:…</c> for the platform's own checks.</summary>
public sealed record SiteReport(Guid Id, Guid SiteId, string Network, string Reason, string? Details, string? Contact)
{
    /// <summary>The reporter as every service knows a person, so their erasure reaches the report.</summary>
    public string? ContactHash => Contact is null ? null : EmailIdentity.PersonHash(EmailIdentity.Normalise(Contact));
}

/// <summary>How filing a report ended; <see cref="RetryAfter"/> when the network has filed too many.</summary>
public sealed record ReportOutcome(ReportState State, TimeSpan RetryAfter)
{
    public static readonly ReportOutcome Accepted = new(ReportState.Accepted, TimeSpan.Zero);
    public static readonly ReportOutcome SiteNotFound = new(ReportState.SiteNotFound, TimeSpan.Zero);

    public static ReportOutcome TooMany(TimeSpan retryAfter) => new(ReportState.TooMany, retryAfter);
}

public enum ReportState
{
    Accepted,
    SiteNotFound,
    TooMany,
}

/// <summary>One report in the queue, with its site.</summary>
public sealed record QueuedReport(Guid SiteId, string Slug, string Repository, string? Suspension, Guid Id, string Reason, string? Details, string? Contact,
    DateTime CreatedAt, DateTime? ResolvedAt);

/// <summary>A site in the moderation queue, with its reports.</summary>
public sealed record QueuedSite(Guid SiteId, string Slug, string Repository, string? Suspension, int Reports, DateTime LastReportedAt, IReadOnlyList<QueuedReport> Items);

/// <summary>An operator's action for the audit log: <c>suspend</c>, <c>restore</c>, <c>remove</c>, <c>block</c> or <c>unblock</c>.</summary>
public sealed record ModerationAction(string Action, Guid? SiteId, string? Subject, string Reason, string Actor);

/// <summary>An action as the audit log keeps it.</summary>
public sealed record RecordedAction(Guid Id, string Action, Guid? SiteId, string? Subject, string Reason, string Actor, DateTime CreatedAt);
