using System.Text;
using System.Text.Encodings.Web;
using FourSite.ServiceDefaults.Http;
using Microsoft.Extensions.Options;

namespace FourSite.Gateway.Pages;

/// <summary>
/// <c>/privacy-notice</c> and <c>/imprint</c>: their text comes from the operator's files (<see cref="GatewayOptions.PrivacyNoticeFile"/>,
/// <see cref="GatewayOptions.ImprintFile"/>), read at each request so an edit shows at once, and shown as plain
/// paragraphs. Without a file the privacy notice says what FourSite itself stores, and the imprint says none is published.
/// </summary>
public static class LegalPages
{
    public static readonly string[] BuiltInPrivacyNotice =
    [
        "FourSite makes launch pages for public GitHub repositories. This notice says what it stores about the people who visit them.",
        "When you leave your email on a project page, that page's owner receives it with a score of how interested you seem (from how long you stayed, how far you scrolled and what you picked), and the page, time and choices you made. If you ask for news, FourSite records the words you agreed to and emails you once to confirm; nothing more is sent until you confirm, and every email can unsubscribe you.",
        "Pages measure their own speed (Core Web Vitals) with an anonymous session id and the browser's user agent; raw measurements are deleted after 30 days. Shares and referrals are counted by session and coarse network (never your full address). Opt-ins never confirmed, and bots' sign-ups, are deleted after 30 days.",
        "You can see, download and erase what every page holds about your address at any time on the Your data page (/your-data); page owners whose systems received your address by webhook are told to erase it too.",
        "Maintainers who sign in with GitHub are stored with their GitHub login, name and avatar until they erase their account.",
    ];

    public static IEndpointRouteBuilder MapLegalPages(this IEndpointRouteBuilder app)
    {
        app.MapGetAndHead("/privacy-notice", (HttpContext context, PlatformPages pages, IOptionsMonitor<GatewayOptions> options) =>
            Page(context, pages, "Privacy notice", Read(options.CurrentValue.PrivacyNoticeFile) ?? BuiltInPrivacyNotice)).ExcludeFromDescription();
        app.MapGetAndHead("/imprint", (HttpContext context, PlatformPages pages, IOptionsMonitor<GatewayOptions> options) =>
            Page(context, pages, "Imprint and contact", Read(options.CurrentValue.ImprintFile) ?? ["The operator of this FourSite installation has not published an imprint."]))
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>The file's paragraphs; null when no file is set or it cannot be read.</summary>
    private static string[]? Read(string? file)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            return null;
        }

        try
        {
            return File.ReadAllText(file).ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static IResult Page(HttpContext context, PlatformPages pages, string title, IEnumerable<string> paragraphs)
    {
        var html = HtmlEncoder.Default;
        var body = new StringBuilder()
            .Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(html.Encode(title)).Append(" — FourSite</title>")
            .Append("<link rel=\"stylesheet\" href=\"").Append(pages.AssetUrls["platform.css"]).Append("\"></head><body>")
            .Append("<a class=\"skip\" href=\"#main\">Skip to content</a><header class=\"topbar\"><a class=\"brand\" href=\"/\">4site<span>.pro</span></a>")
            .Append("<nav aria-label=\"Main\"><a href=\"/\">Home</a><a href=\"/your-data\">Your data</a></nav></header><main id=\"main\">")
            .Append("<h1>").Append(html.Encode(title)).Append("</h1>");
        foreach (var paragraph in paragraphs)
        {
            body.Append("<p>").Append(html.Encode(paragraph)).Append("</p>");
        }

        body.Append("</main><footer>FourSite · <a href=\"/privacy-notice\">Privacy</a> · <a href=\"/imprint\">Imprint</a></footer></body></html>");
        context.Response.Headers.CacheControl = PlatformPages.PageCache;
        return Results.Content(body.ToString(), "text/html; charset=utf-8");
    }
}
