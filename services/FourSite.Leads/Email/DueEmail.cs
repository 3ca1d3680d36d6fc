namespace FourSite.Leads.Email;

/// <summary>
/// An email claimed for sending. <see cref="Allowed"/> is false when, since it was written, its recipient unsubscribed
/// or was suppressed: it is then skipped, never sent.
/// </summary>
public sealed record DueEmail(
    Guid Id,
    string Kind,
    string Recipient,
    Guid? SiteId,
    Guid? AnnouncementId,
    Guid? SubscriptionId,
    string Payload,
    string MessageId,
    string? TraceParent,
    int Attempts,
    DateTime CreatedAt,
    string? UnsubscribeToken,
    bool Allowed);
