namespace FourSite.Contracts.Leads;

/// <summary>
/// The words beside the newsletter opt-in on every page that captures leads. Leads records them, with their version,
/// as the consent a visitor gave; a change of wording is a new version.
/// </summary>
public static class NewsletterConsent
{
    public const string Version = "2026-12-06";

    public const string Wording = "Email me news about this project. I will confirm by email first, and can unsubscribe at any time.";
}
