using System.Text.RegularExpressions;
using FourSite.ServiceDefaults.Access;

namespace FourSite.ServiceDefaults.Identity;

/// <summary>
/// Who an email address belongs to. The same person types their address in many ways: case, surrounding spaces, and at
/// providers that ignore them, dots and <c>+tags</c> (the commonest trick for signing up twice). The normalised form is
/// the lead's identity; the address as typed is kept for contact.
/// </summary>
public static partial class EmailIdentity
{
    public const int MaxLength = 254;
    private const int MaxLocalLength = 64;

    /// <summary>Providers where dots in the local part are ignored (Gmail).</summary>
    private static readonly HashSet<string> DotInsensitive = ["gmail.com"];

    /// <summary>Providers that deliver <c>name+tag@</c> to <c>name@</c>.</summary>
    private static readonly HashSet<string> PlusAddressing =
    [
        "gmail.com", "outlook.com", "hotmail.com", "live.com", "icloud.com", "me.com", "fastmail.com", "protonmail.com", "proton.me", "pm.me",
    ];

    /// <summary>A deliverable-looking address: RFC 5322 dot-atom local part, a domain of at least two labels, sensible lengths.</summary>
    public static bool IsValid(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return false;
        }

        var trimmed = email.Trim();
        var at = trimmed.LastIndexOf('@');
        return trimmed.Length <= MaxLength && at is > 0 and <= MaxLocalLength && Address().IsMatch(trimmed);
    }

    /// <summary>The identity of a valid address: "  John.Doe+news@GoogleMail.com " → "johndoe@gmail.com".</summary>
    public static string Normalise(string email)
    {
        var trimmed = email.Trim().ToLowerInvariant();
        var at = trimmed.LastIndexOf('@');
        var local = trimmed[..at];
        var domain = trimmed[(at + 1)..];
        if (domain == "googlemail.com")
        {
            domain = "gmail.com";
        }

        if (PlusAddressing.Contains(domain) && local.IndexOf('+') is > 0 and var plus)
        {
            local = local[..plus];
        }

        if (DotInsensitive.Contains(domain))
        {
            local = local.Replace(".", "", StringComparison.Ordinal);
        }

        return $"{local}@{domain}";
    }

    /// <summary>The identifier other services know a person by: SHA-256 of the normalised address, lower-case hex.</summary>
    public static string PersonHash(string normalisedEmail) => Credentials.Hash(normalisedEmail);

    public static string DomainOf(string normalisedEmail) => normalisedEmail[(normalisedEmail.LastIndexOf('@') + 1)..];

    public static string LocalPartOf(string normalisedEmail) => normalisedEmail[..normalisedEmail.LastIndexOf('@')];

    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")]
    private static partial Regex Address();
}
