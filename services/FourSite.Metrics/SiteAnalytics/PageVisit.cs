using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace FourSite.Metrics.SiteAnalytics;

/// <summary>
/// One page view as an owner's analytics count it: a visitor (a salted hash, never the address or user agent behind it)
/// and where they came from: another site's host (a link within the site itself is not a source), the share channel a
/// shared link names (<c>?via=</c>), and the campaign tags (<c>utm_source</c>, <c>utm_campaign</c>).
/// </summary>
public sealed record PageVisit(string Visitor, string? ReferrerHost, string? Channel, string? UtmSource, string? UtmCampaign);

public static partial class PageVisits
{
    private const int MaxTagLength = 64;

    /// <summary>The site a page address belongs to (<c>/s/{slug}</c>), as <c>rum_beacons.site_slug</c> reads it; null for any other page.</summary>
    public static string? SiteSlugOf(Uri page) => SitePath().Match(page.AbsolutePath) is { Success: true } match ? match.Groups[1].Value : null;

    public static PageVisit Of(Uri page, string? referrer, string slug, IPAddress? address, string? userAgent, byte[] salt)
    {
        var query = QueryHelpers.ParseQuery(page.Query);
        return new PageVisit(
            VisitorOf(salt, slug, address, userAgent),
            ReferrerHostOf(referrer, page),
            query.TryGetValue("via", out var via) && ChannelName().IsMatch(via.ToString()) ? via.ToString() : null,
            Tag(query.TryGetValue("utm_source", out var source) ? source.ToString() : null),
            Tag(query.TryGetValue("utm_campaign", out var campaign) ? campaign.ToString() : null));
    }

    /// <summary>The first 16 bytes (hex) of SHA-256 over the day's salt, the site, the address and the user agent: one visitor a day per site.</summary>
    public static string VisitorOf(byte[] salt, string slug, IPAddress? address, string? userAgent)
    {
        var input = Encoding.UTF8.GetBytes($"{slug}\n{address}\n{userAgent}");
        var hash = SHA256.HashData([.. salt, .. input]);
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    private static string? ReferrerHostOf(string? referrer, Uri page)
    {
        if (!Uri.TryCreate(referrer, UriKind.Absolute, out var from) || (from.Scheme != Uri.UriSchemeHttp && from.Scheme != Uri.UriSchemeHttps))
        {
            return null;
        }

        var host = from.IdnHost.ToLowerInvariant();
        host = host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
        var own = page.IdnHost.ToLowerInvariant();
        return host == own || "www." + host == own ? null : host;
    }

    /// <summary>A campaign tag as people type them: trimmed, lower-case, short, printable; null when nothing is left.</summary>
    private static string? Tag(string? value)
    {
        var tag = new string((value ?? "").Where(character => !char.IsControl(character)).ToArray()).Trim().ToLowerInvariant();
        return tag.Length == 0 ? null : tag[..Math.Min(tag.Length, MaxTagLength)];
    }

    [GeneratedRegex("^/s/([a-z0-9-]{1,64})(?:/|$)", RegexOptions.CultureInvariant)]
    private static partial Regex SitePath();

    [GeneratedRegex("^[a-z]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelName();
}
