namespace FourSite.Generation.Cards;

/// <summary>How sites' pages are addressed and their cards drawn (<c>FourSite:Sites</c>).</summary>
public sealed class SitePagesOptions
{
    public const string Section = "FourSite:Sites";

    /// <summary>The platform's public address, for the absolute links crawlers need (canonical, og:url, og:image, the sitemap).</summary>
    public string PublicUrl { get; set; } = "http://localhost:8080";

    /// <summary>Fonts for the scripts Noto Sans lacks (CJK above all); Debian's fonts-noto-cjk installs them here.</summary>
    public string? FallbackFontDirectory { get; set; } = "/usr/share/fonts/opentype/noto";

    /// <summary>Lets logos be fetched from 127.0.0.1 over plain HTTP (tests only; never in production).</summary>
    public bool ImagesAllowLoopback { get; set; }

    /// <summary>The largest logo fetched for a card.</summary>
    public int MaxLogoBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>URLs per sitemap file: the protocol allows 50,000; past that, /sitemap.xml is an index of pages.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 50_000)]
    public int SitemapPageSize { get; set; } = 50_000;

    public string Link(string path) => PublicUrl.TrimEnd('/') + path;
}
