namespace FourSite.Leads.Identity;

/// <summary>An email shown to someone who may see that a lead exists but not who it is: <c>jane@example.com</c> → <c>j***@example.com</c>.</summary>
public static class EmailMask
{
    public static string Mask(string email)
    {
        var at = email.LastIndexOf('@');
        return at <= 0 ? "***" : $"{email[0]}***{email[at..]}";
    }
}
