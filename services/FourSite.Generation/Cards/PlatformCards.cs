using System.Collections.Frozen;

namespace FourSite.Generation.Cards;

/// <summary>
/// The social cards of the platform's own pages (<c>/cards/landing.png</c>, <c>/cards/showcase.png</c>), drawn like a
/// site's, once per process: what they show changes only with a release.
/// </summary>
public sealed class PlatformCards(SocialCard card)
{
    private static readonly FrozenDictionary<string, CardContent> Pages = new Dictionary<string, CardContent>
    {
        ["landing"] = new("FourSite", "Your GitHub repository, launched in seconds: a fast launch site with lead capture, share tracking and a viral score.",
            "4site.pro", "Paste a repository, get a site", null, ShowMark: true),
        ["showcase"] = new("The FourSite showcase", "Open-source launches that spread: the sites their visitors shared most.", "4site.pro/showcase",
            "Featured by viral score", null, ShowMark: true),
    }.ToFrozenDictionary();

    private readonly Lazy<FrozenDictionary<string, byte[]>> _pngs = new(() => Pages.ToFrozenDictionary(page => page.Key, page => card.Render(page.Value).Png));

    public static IEnumerable<string> Names => Pages.Keys;

    /// <summary>The card of the platform page <paramref name="name"/>; null for any other name.</summary>
    public byte[]? Png(string name) => Pages.ContainsKey(name) ? _pngs.Value[name] : null;
}
