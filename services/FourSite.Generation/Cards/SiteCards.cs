using FourSite.Generation.Pipeline;
using FourSite.Generation.Writers;
using Microsoft.Extensions.Options;

namespace FourSite.Generation.Cards;

/// <summary>
/// A site's card: addressed by a hash of what it shows (so its address changes when the site is regenerated or edited,
/// and can be cached for a year), rendered the first time it is asked for (off the generation path), then kept.
/// </summary>
public sealed partial class SiteCards(CardStore store, SocialCard card, LogoFetcher logos, IOptions<SitePagesOptions> options, GenerationTelemetry telemetry,
    ILogger<SiteCards> logger)
{
    /// <summary>
    /// The SQL of a site row's card hash: of its content (so it changes with a regeneration or an edit) and of the
    /// drawing's version (raise it when the drawing changes, so cards drawn before are drawn again). Computed by
    /// PostgreSQL where the page is read, so serving a page never parses its content.
    /// </summary>
    public const string ContentHashSql = "left(md5('card-v1:' || site_data::text), 16)";

    private const string ProSuffix = "-pro";

    /// <summary>The card variant: the content's hash, with "-pro" when the FourSite mark is left off.</summary>
    public static string Variant(string contentHash, bool pro) => contentHash + (pro ? ProSuffix : "");

    public static string ContentHashOf(string variant) => variant.Split('-')[0];

    /// <summary>The card's public address, for the page's og:image.</summary>
    public string Url(string slug, string contentHash, bool pro) => options.Value.Link($"/s/{slug}/card/{Variant(contentHash, pro)}.png");

    /// <summary>The card of <paramref name="variant"/>, rendered and kept if it was not yet.</summary>
    public async Task<byte[]> PngAsync(Guid siteId, SiteData site, string variant, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(siteId, variant, cancellationToken) is { } kept)
        {
            return kept;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var logo = site.HeroImage is { } image ? await logos.FetchAsync(image.Url, cancellationToken) : null;
        var rendered = card.Render(new CardContent(site.Title, site.Tagline, $"{site.Repo.Owner}/{site.Repo.Name}", site.Repo.Language, site.Repo.Stars,
            ShowMark: !variant.EndsWith(ProSuffix, StringComparison.Ordinal), logo));
        await store.SaveAsync(siteId, variant, rendered, cancellationToken);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        telemetry.CardRendered(elapsed.TotalMilliseconds, rendered.LogoDrawn);
        LogRendered(logger, siteId, variant, rendered.Png.Length, elapsed.TotalMilliseconds);
        return rendered.Png;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Social card {Variant} of site {SiteId} rendered: {Bytes} bytes in {Milliseconds} ms")]
    private static partial void LogRendered(ILogger logger, Guid siteId, string variant, int bytes, double milliseconds);
}
