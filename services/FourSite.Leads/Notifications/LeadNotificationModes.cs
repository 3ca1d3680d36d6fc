namespace FourSite.Leads.Notifications;

/// <summary>How a site's owning account hears of new leads.</summary>
public static class LeadNotificationModes
{
    public const string Instant = "instant";
    public const string Digest = "digest";
    public const string Off = "off";

    public static readonly string[] All = [Instant, Digest, Off];
}
