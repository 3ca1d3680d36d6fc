namespace FourSite.Leads.Email;

/// <summary>The emails FourSite sends, as stored in <c>outgoing_emails.kind</c>.</summary>
public static class EmailKinds
{
    /// <summary>To a visitor who opted in: confirm the subscription.</summary>
    public const string Confirmation = "confirmation";

    /// <summary>To a site's confirmed subscriber, or to its maintainer as a test: the maintainer's news.</summary>
    public const string Announcement = "announcement";

    /// <summary>To a maintainer: verify the address lead notifications go to.</summary>
    public const string AddressVerification = "address_verification";

    /// <summary>To a maintainer: a new lead.</summary>
    public const string NewLead = "new_lead";

    /// <summary>To a maintainer: the day's new leads.</summary>
    public const string LeadDigest = "lead_digest";

    /// <summary>To a maintainer: an operator suspended their site, and why.</summary>
    public const string SiteSuspended = "site_suspended";

    /// <summary>To a maintainer: their suspended site is back.</summary>
    public const string SiteReinstated = "site_reinstated";

    /// <summary>To anyone who asked: their link to see, download and erase what FourSite holds about their address.</summary>
    public const string PrivacyLink = "privacy_link";

    /// <summary>To the on-call addresses of an alert channel: an alert raised, still firing or resolved.</summary>
    public const string OperatorAlert = "operator_alert";
}
