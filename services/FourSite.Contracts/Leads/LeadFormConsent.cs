namespace FourSite.Contracts.Leads;

/// <summary>
/// What every lead form tells a visitor before they submit: who receives their email, the page's launcher or, once the
/// page says so, the repository's verified maintainers. The form sends this version with the capture and Leads records
/// it, with the recipient the page named, on the lead; a change of wording is a new version.
/// </summary>
public static class LeadFormConsent
{
    public const string Version = "2026-12-06";

    public const string RecipientNotice = "Your email goes to whoever launched this page, and to nobody else.";

    public const string VerifiedRecipientNotice = "Your email goes to the verified maintainers of this project's repository, and to nobody else.";
}
