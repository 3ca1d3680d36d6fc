using System.Text;
using System.Text.Encodings.Web;
using FourSite.Contracts.Leads;
using FourSite.Generation.Writers;

namespace FourSite.Generation.Rendering;

/// <summary>
/// Renders a generated site as one HTML page: hero, features, tech stack, lead capture and share buttons. Every value is
/// HTML-encoded; behaviour comes from the same-origin <c>/s/assets/site.js</c> (with the platform's shared calls,
/// <c>/assets/common.js</c>, and its real-user monitoring, <c>/assets/rum.js</c>, both served by the gateway), so the page
/// needs no inline script.
/// </summary>
public static class SitePage
{
    /// <summary>The page's Content-Security-Policy: only same-origin scripts and styles, framing by the platform only.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'self'; base-uri 'none'; object-src 'none'";

    private static readonly (string Platform, string Label)[] SharePlatforms =
    [
        ("twitter", "X / Twitter"), ("linkedin", "LinkedIn"), ("reddit", "Reddit"), ("hackernews", "Hacker News"), ("email", "Email"), ("copy", "Copy link"),
    ];

    private static readonly (string Value, string Label)[] Interests =
    [
        ("ai-ml", "AI / ML"), ("web-development", "Web development"), ("devops", "DevOps"), ("data", "Data"), ("mobile", "Mobile"), ("open-source", "Open source"),
    ];

    private static readonly (string Platform, string Label)[] FollowPlatforms =
    [
        ("twitter", "X / Twitter"), ("linkedin", "LinkedIn"), ("reddit", "Reddit"), ("hackernews", "Hacker News"), ("github", "GitHub"),
    ];

    /// <summary>Stands in the stored page for its canonical address, which depends on its custom domain when it is served.</summary>
    public const string CanonicalPlaceholder = "{{foursite:canonical}}";

    /// <summary>Stands in the stored page for its social card's address, which depends on whether the site is Pro when it is served.</summary>
    public const string CardPlaceholder = "{{foursite:card}}";

    /// <summary>The page as served: its canonical and card addresses filled in (each HTML-encoded).</summary>
    public static string WithAddresses(string page, string canonicalUrl, string cardUrl) => page
        .Replace(CanonicalPlaceholder, HtmlEncoder.Default.Encode(canonicalUrl), StringComparison.Ordinal)
        .Replace(CardPlaceholder, HtmlEncoder.Default.Encode(cardUrl), StringComparison.Ordinal);

    /// <summary>
    /// schema.org's SoftwareSourceCode for search engines: name, description, repository, language, licence. The JSON
    /// encoder escapes &lt;, &gt; and &amp;, so nothing in it can end the script element.
    /// </summary>
    private static string StructuredData(SiteData site, string repoUrl) => System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["@context"] = "https://schema.org",
        ["@type"] = "SoftwareSourceCode",
        ["name"] = site.Title,
        ["description"] = site.Tagline,
        ["codeRepository"] = repoUrl,
        ["programmingLanguage"] = site.Repo.Language,
        ["license"] = site.Repo.License,
        ["keywords"] = site.Repo.Topics.Count > 0 ? string.Join(", ", site.Repo.Topics) : null,
    }.Where(entry => entry.Value is not null).ToDictionary(entry => entry.Key, entry => entry.Value));

    /// <summary>The "Made with FourSite" badge of every page; Pro sites are served without it.</summary>
    public const string Badge = "<p class=\"made-with\">Made with <a href=\"/\">FourSite</a></p>";

    /// <summary>The badge as pages rendered before it stood on its own carried it, in their footer's sentence.</summary>
    private const string SentenceBadge = "<p>Made with <a href=\"/\">FourSite</a> from ";

    /// <summary>The page as a Pro site is served: without the FourSite badge.</summary>
    public static string WithoutBadge(string page) => page.Replace(Badge, "", StringComparison.Ordinal).Replace(SentenceBadge, "<p>From ", StringComparison.Ordinal);

    public static string Render(Guid siteId, string slug, SiteData site)
    {
        var html = HtmlEncoder.Default;
        var repoUrl = $"https://github.com/{Uri.EscapeDataString(site.Repo.Owner)}/{Uri.EscapeDataString(site.Repo.Name)}";
        var (ctaLabel, ctaUrl) = CallToAction(site, repoUrl);
        var page = new StringBuilder(8 * 1024);

        page.Append($"""
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{html.Encode(site.Title)}</title>
            <meta name="description" content="{html.Encode(site.Tagline)}">
            <link rel="canonical" href="{CanonicalPlaceholder}">
            <meta property="og:type" content="website">
            <meta property="og:url" content="{CanonicalPlaceholder}">
            <meta property="og:title" content="{html.Encode(site.Title)}">
            <meta property="og:description" content="{html.Encode(site.Tagline)}">
            <meta property="og:image" content="{CardPlaceholder}">
            <meta property="og:image:type" content="image/png">
            <meta property="og:image:width" content="{Cards.SocialCard.Width}">
            <meta property="og:image:height" content="{Cards.SocialCard.Height}">
            <meta property="og:image:alt" content="{html.Encode($"{site.Title}: {site.Tagline}")}">
            <meta name="twitter:card" content="summary_large_image">
            <meta name="twitter:title" content="{html.Encode(site.Title)}">
            <meta name="twitter:description" content="{html.Encode(site.Tagline)}">
            <meta name="twitter:image" content="{CardPlaceholder}">
            <script type="application/ld+json">{StructuredData(site, repoUrl)}</script>
            <meta name="foursite-page" content="/s/{html.Encode(slug)}">
            <link rel="stylesheet" href="/s/assets/site.css">
            <script src="/assets/common.js" defer></script>
            <script src="/s/assets/site.js" defer></script>
            <script src="/assets/rum.js" defer></script>
            </head>
            <body class="template-{html.Encode(site.Template)}" data-site-id="{siteId}" data-slug="{html.Encode(slug)}" data-project-type="{html.Encode(site.ProjectType)}" data-template="{html.Encode(site.Template)}" data-title="{html.Encode(site.Title)}" data-repository="{html.Encode(site.Repo.Owner)}/{html.Encode(site.Repo.Name)}">
            <header class="hero" data-section="hero">
            <p class="eyebrow">{html.Encode(site.Repo.Owner)} / {html.Encode(site.Repo.Name)}</p>
            <h1>{html.Encode(site.Title)}</h1>
            <p class="tagline">{html.Encode(site.Tagline)}</p>
            <p class="ownership" data-testid="site-ownership" aria-live="polite"></p>
            <p class="actions"><a class="button primary" href="{html.Encode(ctaUrl)}" rel="noopener">{html.Encode(ctaLabel)}</a> <a class="button" href="{html.Encode(repoUrl)}" rel="noopener">★ {CompactNumber.Format(site.Repo.Stars)} on GitHub</a></p>
            """);
        if (site.HeroImage is { } image)
        {
            // The frame's size is set before the picture arrives, so nothing moves when it does.
            page.Append($"""<figure class="visual"><img src="{html.Encode(image.Url)}" alt="{html.Encode(image.Alt)}" width="960" height="480" decoding="async" fetchpriority="high"></figure>""");
        }

        if (site.InstallCommand is { } install)
        {
            page.Append($"""<div class="install"><pre data-testid="install-command" tabindex="0"><code>{html.Encode(install)}</code></pre><button type="button" class="copy" data-copy="{html.Encode(install)}">Copy</button></div>""");
        }

        page.Append($"""
            </header>
            <main>
            <section class="about" data-section="about"><p>{html.Encode(site.Description)}</p>
            <ul class="proof" aria-label="Project facts">{Proof(site, html)}</ul></section>
            """);
        if (site.QuickStart is { } sample)
        {
            var language = sample.Language is { } named ? $" class=\"language-{html.Encode(named)}\"" : "";
            page.Append($"""<section class="quickstart" data-section="quick-start"><h2>Quick start</h2><pre data-testid="quick-start" tabindex="0"><code{language}>{html.Encode(sample.Code)}</code></pre></section>""");
        }

        page.Append("""
            <section class="features" data-section="features"><h2>Features</h2><ul>
            """);
        foreach (var feature in site.Features)
        {
            page.Append($"<li>{html.Encode(feature)}</li>");
        }

        page.Append("</ul></section>\n<section class=\"tech\" data-section=\"tech-stack\"><h2>Tech stack</h2><ul class=\"chips\">");
        foreach (var tech in site.TechStack)
        {
            page.Append($"<li>{html.Encode(tech)}</li>");
        }

        // The form names the consent text it shows; Leads records that version with the lead.
        page.Append($"""
            </ul></section>
            <section class="capture" data-section="lead-capture"><h2>Stay in the loop</h2>
            <form id="lead-form" data-testid="lead-form" action="/api/leads/capture" method="post" novalidate data-consent-version="{LeadFormConsent.Version}">
            <label for="lead-email">Email</label>
            <input id="lead-email" name="email" type="email" required maxlength="254" autocomplete="email" data-testid="email-input">
            <input class="trap" name="website" type="text" tabindex="-1" autocomplete="off" aria-hidden="true">
            <p class="recipient" data-testid="lead-recipient">{LeadFormConsent.RecipientNotice}</p>
            <fieldset class="chips"><legend>Interested in</legend>
            """);
        foreach (var (interest, label) in Interests)
        {
            page.Append($"<label><input type=\"checkbox\" name=\"interest\" value=\"{interest}\" data-testid=\"interest-{interest}\"> {label}</label>");
        }

        page.Append("</fieldset>\n<fieldset class=\"chips\"><legend>Where do you follow projects?</legend>");
        foreach (var (platform, label) in FollowPlatforms)
        {
            page.Append($"<label><input type=\"checkbox\" name=\"platform\" value=\"{platform}\" data-testid=\"platform-{platform}\"> {label}</label>");
        }

        // The opt-in's words are the consent Leads records with the subscription.
        page.Append($"""
            </fieldset>
            <label><input type="checkbox" name="newsletter" data-testid="newsletter-opt-in"> {html.Encode(NewsletterConsent.Wording)}</label>
            """);
        page.Append("""
            <button type="submit" data-testid="capture-submit">Notify me</button>
            <p class="status" role="status" data-testid="lead-status"></p>
            <template id="capture-success-template"><p class="success" data-testid="capture-success">Thanks! You are on the list. Lead score <strong data-testid="lead-score"></strong></p></template>
            </form></section>
            <section class="share" data-section="share"><h2>Share</h2><p>
            """);
        foreach (var (platform, label) in SharePlatforms)
        {
            page.Append($"<button type=\"button\" class=\"share\" data-platform=\"{platform}\" data-testid=\"share-{platform}\">{label}</button> ");
        }

        page.Append($"""
            </p><p>Viral score: <strong data-testid="viral-score">0</strong></p></section>
            </main>
            <footer><p>From <a href="{html.Encode(repoUrl)}" rel="noopener">{html.Encode(site.Repo.Owner)}/{html.Encode(site.Repo.Name)}</a>{(site.Repo.License is { } license ? $" · {html.Encode(license)}" : "")}</p>{Badge}<p class="report"><a href="/report?site={siteId}" rel="nofollow" data-testid="report-link">Report this page</a> · <a href="/your-data" rel="nofollow" data-testid="your-data-link">Your data</a> · <a href="/privacy-notice" rel="nofollow">Privacy</a> · <a href="/imprint" rel="nofollow">Imprint</a></p></footer>
            </body>
            </html>
            """);
        return page.ToString();
    }

    /// <summary>Social proof, as people write it: stars, forks, licence, language.</summary>
    private static string Proof(SiteData site, HtmlEncoder html)
    {
        var facts = new List<string> { $"★ {CompactNumber.Format(site.Repo.Stars)} stars", $"{CompactNumber.Format(site.Repo.Forks)} forks" };
        if (site.Repo.License is { } license)
        {
            facts.Add($"{license} licence");
        }

        if (site.Repo.Language is { } language)
        {
            facts.Add(language);
        }

        return string.Concat(facts.Select(fact => $"<li>{html.Encode(fact)}</li>"));
    }

    /// <summary>The primary action suits the project: install a library, open an app, read the docs.</summary>
    private static (string Label, string Url) CallToAction(SiteData site, string repoUrl) => site.CallToAction is { } chosen ? (chosen.Label, chosen.Url) : site.ProjectType switch
    {
        "library" => ("Get started", site.Links?.Docs ?? site.Repo.Homepage ?? repoUrl + "#readme"),
        "app" => ("Try it", site.Repo.Homepage ?? repoUrl + "/releases"),
        "docs" => ("Read it", site.Links?.Docs ?? site.Repo.Homepage ?? repoUrl + "#readme"),
        _ => ("Explore the project", site.Repo.Homepage ?? site.Links?.Docs ?? repoUrl),
    };
}
