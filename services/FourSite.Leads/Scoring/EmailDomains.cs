using System.Reflection;

namespace FourSite.Leads.Scoring;

/// <summary>What an address's domain and local part say about a lead: throwaway, free mail, or a shared role inbox.</summary>
public sealed class EmailDomains
{
    private static readonly HashSet<string> FreeMail =
    [
        "gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com", "icloud.com", "me.com", "aol.com", "proton.me",
        "protonmail.com", "gmx.com", "gmx.de", "mail.com", "yandex.com", "yandex.ru", "zoho.com", "fastmail.com", "web.de", "qq.com", "163.com",
    ];

    private static readonly HashSet<string> RoleNames =
    [
        "admin", "administrator", "info", "support", "sales", "contact", "hello", "help", "office", "noreply", "no-reply", "webmaster",
        "postmaster", "hostmaster", "abuse", "marketing", "team", "billing", "jobs", "hr", "security", "root", "mail",
    ];

    private readonly HashSet<string> _disposable;

    public EmailDomains(IEnumerable<string> disposableDomains) =>
        _disposable = disposableDomains.Select(domain => domain.Trim().ToLowerInvariant()).Where(domain => domain.Length > 0 && !domain.StartsWith('#')).ToHashSet();

    /// <summary>The list shipped with the service (<c>Scoring/disposable-domains.txt</c>).</summary>
    public static EmailDomains Shipped()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("FourSite.Leads.Scoring.disposable-domains.txt")
            ?? throw new InvalidOperationException("The disposable-domain list is missing from the build.");
        using var reader = new StreamReader(stream);
        return new EmailDomains(reader.ReadToEnd().Split('\n'));
    }

    /// <summary>True for a listed domain or any sub-domain of one.</summary>
    public bool IsDisposable(string domain)
    {
        for (var candidate = domain; candidate.Length > 0; candidate = candidate.IndexOf('.') is var dot and >= 0 ? candidate[(dot + 1)..] : "")
        {
            if (_disposable.Contains(candidate))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsFreeMail(string domain) => FreeMail.Contains(domain);

    public static bool IsRoleAccount(string localPart) => RoleNames.Contains(localPart);
}
