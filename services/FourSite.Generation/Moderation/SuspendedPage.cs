namespace FourSite.Generation.Moderation;

/// <summary>
/// What a suspended site's address shows instead of its page: a plain notice, <c>410 Gone</c> for abuse and
/// <c>451 Unavailable For Legal Reasons</c> for a legal demand. Nothing of the site's own content is served, and nothing
/// is cached, so a restore shows the page again at once.
/// </summary>
public static class SuspendedPage
{
    public const string Abuse = "abuse";
    public const string Legal = "legal";

    public static IResult For(string suspension, HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        var legal = suspension == Legal;
        var (title, text) = legal
            ? ("Unavailable for legal reasons", "This page has been taken down in response to a legal demand.")
            : ("This page has been taken down", "This page broke FourSite's rules and is no longer available.");
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex"><title>{{title}} · FourSite</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2937}a{color:#1d4ed8}</style>
            </head><body><main><h1>{{title}}</h1><p>{{text}}</p>
            <p><a href="/">FourSite</a> · <a href="/privacy-notice">Privacy</a> · <a href="/imprint">Imprint</a></p></main></body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8", statusCode: legal ? StatusCodes.Status451UnavailableForLegalReasons : StatusCodes.Status410Gone);
    }
}
