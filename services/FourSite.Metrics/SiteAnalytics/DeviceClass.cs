using System.Text.RegularExpressions;

namespace FourSite.Metrics.SiteAnalytics;

/// <summary>
/// What kind of device a user agent names (<c>mobile</c>, <c>tablet</c> or <c>desktop</c>), the only trace of it that is
/// kept, and whether it is a crawler or link previewer rather than a person (those are not visitors).
/// </summary>
public static partial class DeviceClass
{
    public const string Mobile = "mobile";
    public const string Tablet = "tablet";
    public const string Desktop = "desktop";

    public static string? Of(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return null;
        }

        if (TabletAgent().IsMatch(userAgent))
        {
            return Tablet;
        }

        return MobileAgent().IsMatch(userAgent) ? Mobile : Desktop;
    }

    /// <summary>Search engines, link previewers (Slack, Discord, X, LinkedIn, Facebook), HTTP libraries and headless browsers.</summary>
    public static bool IsAutomated(string? userAgent) => string.IsNullOrWhiteSpace(userAgent) || AutomatedAgent().IsMatch(userAgent);

    [GeneratedRegex(@"iPad|Tablet|PlayBook|Silk|Android(?!.*Mobile)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TabletAgent();

    [GeneratedRegex(@"Mobi|iPhone|iPod|Android.*Mobile|Windows Phone|Opera Mini", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MobileAgent();

    [GeneratedRegex(@"bot\b|bot/|crawl|spider|slurp|preview|facebookexternalhit|embedly|HeadlessChrome|Lighthouse|curl/|wget/|python-|Go-http-client|okhttp|axios/|node-fetch",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AutomatedAgent();
}
