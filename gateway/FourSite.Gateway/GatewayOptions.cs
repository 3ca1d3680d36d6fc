using System.ComponentModel.DataAnnotations;

namespace FourSite.Gateway;

/// <summary>The gateway's settings (section <c>FourSite:Gateway</c>).</summary>
public sealed class GatewayOptions
{
    public const string Section = "FourSite:Gateway";

    /// <summary>The services behind the gateway, by their service-discovery names; each is probed for <c>/api/health</c>.</summary>
    [Required, MinLength(1)]
    public string[] Services { get; set; } = [];

    /// <summary>How long a health probe of one service may take before it counts as down.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan HealthProbeTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Load balancers whose <c>X-Forwarded-For</c> is believed (IPs or CIDR networks); loopback always is.</summary>
    public string[] TrustedProxies { get; set; } = [];

    /// <summary>Other origins whose pages may call the API from a browser (the platform's own origin always may).</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>
    /// The host names the platform itself is served under (e.g. <c>4site.pro</c>); loopback, IP addresses and single-label
    /// names always are. Any other host is a Pro site's custom domain, or the platform's 404.
    /// </summary>
    public string[] PlatformHosts { get; set; } = [];

    /// <summary>A text file with the operator's privacy notice (paragraphs separated by blank lines); none: the built-in notice.</summary>
    public string? PrivacyNoticeFile { get; set; }

    /// <summary>A text file with the operator's imprint and contact (paragraphs separated by blank lines).</summary>
    public string? ImprintFile { get; set; }

    /// <summary>How long the gateway remembers which site a custom domain serves (or that it serves none).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan CustomDomainCacheTime { get; set; } = TimeSpan.FromSeconds(30);
}
