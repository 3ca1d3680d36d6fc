using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;

namespace FourSite.Gateway.Pages;

/// <summary>
/// The platform's own pages (landing, maintainer dashboard, operations), served by the gateway. Each asset under
/// <c>wwwroot/assets</c> is served under a name carrying a hash of its content (<c>/assets/landing.3f9a0c12d4.js</c>), cached
/// for a year; the pages name assets as <c>{{landing.js}}</c> and are rewritten once at start-up with the current names.
/// </summary>
public sealed partial class PlatformPages
{
    public const string AssetCache = "public, max-age=31536000, immutable";
    public const string PageCache = "no-cache";
    public const string StableNameCache = "public, max-age=3600";

    /// <summary>Page route → template file.</summary>
    public static readonly IReadOnlyDictionary<string, string> Routes = new Dictionary<string, string>
    {
        ["/"] = "index.html",
        ["/dashboard"] = "dashboard.html",
        ["/ops"] = "ops.html",
        ["/report"] = "report.html",
        ["/your-data"] = "your-data.html",
    };

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary();

    private readonly FrozenDictionary<string, (byte[] Content, string ContentType)> _assets;
    private readonly FrozenDictionary<string, string> _pages;

    public PlatformPages(IWebHostEnvironment environment)
    {
        var root = Path.Combine(environment.ContentRootPath, "wwwroot");
        var assets = new Dictionary<string, (byte[], string)>();
        var names = new Dictionary<string, string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "assets")))
        {
            var content = File.ReadAllBytes(file);
            var name = Path.GetFileName(file);
            var extension = Path.GetExtension(name);
            var hashed = $"{Path.GetFileNameWithoutExtension(name)}.{Convert.ToHexStringLower(SHA256.HashData(content))[..10]}{extension}";
            assets[hashed] = (content, ContentTypes.GetValueOrDefault(extension, "application/octet-stream"));
            names[name] = $"/assets/{hashed}";
        }

        _assets = assets.ToFrozenDictionary();
        AssetUrls = names.ToFrozenDictionary();
        _pages = Routes.ToFrozenDictionary(route => route.Key, route => Placeholder().Replace(
            File.ReadAllText(Path.Combine(root, "pages", route.Value)),
            match => match.Value == Origin ? Origin
                : AssetUrls.TryGetValue(match.Groups[1].Value, out var url) ? url : throw new InvalidDataException($"{route.Value} names a missing asset {match.Value}.")));
    }

    /// <summary>Stands in a page for the address it was asked for (<c>https://4site.pro</c>), for its canonical link and social card.</summary>
    public const string Origin = "{{origin}}";

    /// <summary>Asset name → its fingerprinted URL.</summary>
    public FrozenDictionary<string, string> AssetUrls { get; }

    /// <summary>The page at <paramref name="route"/>, as asked for at <paramref name="origin"/> (scheme and host).</summary>
    public string Page(string route, string origin) => _pages[route].Replace(Origin, HtmlEncoder.Default.Encode(origin), StringComparison.Ordinal);

    public bool TryGetAsset(string hashedName, out (byte[] Content, string ContentType) asset) => _assets.TryGetValue(hashedName, out asset);

    [GeneratedRegex(@"\{\{([a-z0-9.-]+)\}\}")]
    private static partial Regex Placeholder();
}
