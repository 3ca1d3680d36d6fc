using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace FourSite.Generation.Domains;

/// <summary>
/// A domain as owners type it, normalised to the one form it is stored, served and asked about in: lower-case ASCII
/// (internationalised names in their <c>xn--</c> form), without a trailing dot.
/// </summary>
public static partial class DomainName
{
    /// <summary>The label the verification TXT record lives under.</summary>
    public const string ChallengeLabel = "_foursite-challenge";

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    /// <returns>The normalised domain, or null with why it is not one a site can be served under.</returns>
    public static (string? Domain, string? Error) Normalize(string? input)
    {
        var candidate = input?.Trim().TrimEnd('.');
        if (string.IsNullOrEmpty(candidate))
        {
            return (null, "domain is required, like docs.example.org.");
        }

        if (candidate.Contains("://", StringComparison.Ordinal) || candidate.IndexOfAny(['/', ':', '?', '#', '@', ' ']) >= 0)
        {
            return (null, "domain must be a host name only, like docs.example.org (no scheme, port or path).");
        }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(candidate).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return (null, "domain is not a valid host name.");
        }

        var labels = ascii.Split('.');
        if (ascii.Length > 253 || labels.Length < 2 || !labels.All(label => Label().IsMatch(label)) || IPAddress.TryParse(ascii, out _)
            || labels[^1].All(char.IsAsciiDigit))
        {
            return (null, "domain must be a public host name with at least two labels, like docs.example.org.");
        }

        if (labels[^1] is "localhost" or "local" or "internal" or "arpa")
        {
            return (null, "domain must be a public host name, not a local or reverse-lookup one.");
        }

        return (ascii, null);
    }

    /// <summary>Where the owner puts the verification record.</summary>
    public static string ChallengeName(string domain) => $"{ChallengeLabel}.{domain}";

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex Label();
}
