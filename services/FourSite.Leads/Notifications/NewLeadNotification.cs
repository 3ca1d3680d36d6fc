using FourSite.Leads.Email;

namespace FourSite.Leads.Notifications;

/// <summary>
/// SQL written into a capture's own statement: the new-lead email to the site's owning account, when it chose to hear
/// of each lead and verified its address. The lead's email is in it only for the site's verified maintainer, masked
/// for anyone else, as on the dashboard.
/// </summary>
public static class NewLeadNotification
{
    /// <param name="leadIds">A query giving the id of the lead just stored, if any (none: nothing is sent).</param>
    /// <remarks>Parameters: <c>@SiteId, @Email, @maskedEmail, @total, @optIn, @CapturedAt, @senderDomain, @traceParent</c>.</remarks>
    public static string From(string leadIds) => $"""
        INSERT INTO outgoing_emails (id, kind, recipient, recipient_normalized, site_id, payload, message_id, trace_parent)
        SELECT lead.id, '{EmailKinds.NewLead}', a.email, a.email_normalized, @SiteId,
               jsonb_build_object('project', coalesce(l.title, 'your project'), 'leadEmail', CASE WHEN l.verified THEN @Email ELSE @maskedEmail END,
                                  'leadScore', @total, 'newsletterOptIn', @optIn, 'capturedAt', @CapturedAt),
               '<lead.' || replace(lead.id::text, '-', '') || '@' || @senderDomain || '>', @traceParent
        FROM {leadIds} AS lead
        JOIN lead_sites l ON l.site_id = @SiteId
        JOIN lead_notification_settings n ON n.site_id = l.site_id AND n.account_id = l.account_id AND n.mode = '{LeadNotificationModes.Instant}'
        JOIN notification_addresses a ON a.account_id = n.account_id AND a.verified_at IS NOT NULL
        ON CONFLICT (id) DO NOTHING
        """;
}
