namespace FourSite.Viral.Shares;

/// <summary>The platforms a site can be shared on, and how a visitor's referrer names one of them.</summary>
public static class SharePlatforms
{
    public static readonly IReadOnlyList<string> All = ["twitter", "linkedin", "facebook", "reddit", "hackernews", "email", "copy"];

    private static readonly (string Host, string Platform)[] ReferrerHosts =
    [
        ("t.co", "twitter"), ("twitter.com", "twitter"), ("x.com", "twitter"),
        ("linkedin.com", "linkedin"), ("lnkd.in", "linkedin"),
        ("facebook.com", "facebook"), ("fb.me", "facebook"),
        ("reddit.com", "reddit"), ("redd.it", "reddit"),
        ("news.ycombinator.com", "hackernews"),
    ];

    public static bool IsKnown(string? platform) => platform is not null && All.Contains(platform);

    /// <summary>The platform a referrer URL belongs to (its host or a parent domain), or null.</summary>
    public static string? FromReferrer(string? referrer)
    {
        if (!Uri.TryCreate(referrer, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }

        var host = uri.IdnHost.ToLowerInvariant();
        foreach (var (known, platform) in ReferrerHosts)
        {
            if (host == known || host.EndsWith("." + known, StringComparison.Ordinal))
            {
                return platform;
            }
        }

        return null;
    }
}
