using System.Globalization;
using System.Text;
using System.Xml;
using FourSite.Generation.Cards;
using FourSite.ServiceDefaults.Http;
using Microsoft.Extensions.Options;

namespace FourSite.Generation.Discovery;

/// <summary>
/// What search engines read: <c>/robots.txt</c> (everything public may be crawled; the APIs, dashboards and operator
/// pages may not) and <c>/sitemap.xml</c>, every live site at its canonical address with its last change, the landing
/// page and the showcase first; past <see cref="SitePagesOptions.SitemapPageSize"/> (50,000) it is an index of <c>/sitemaps/{n}.xml</c>
/// pages of as many each.
/// </summary>
public static class DiscoveryApi
{
    private const string Namespace = "http://www.sitemaps.org/schemas/sitemap/0.9";

    /// <summary>The platform's own pages, at the head of the first sitemap page.</summary>
    private static readonly string[] PlatformPaths = ["/", "/showcase"];

    public static IEndpointRouteBuilder MapDiscoveryApi(this IEndpointRouteBuilder app)
    {
        app.MapGetAndHead("/robots.txt", Robots).ExcludeFromDescription();
        app.MapGetAndHead("/sitemap.xml", Sitemap).WithTags("Sites").WithName("GetSitemap").WithSummary("Every live site for search engines (an index past 50,000).");
        app.MapGetAndHead("/sitemaps/{file}", SitemapPage).ExcludeFromDescription();
        return app;
    }

    public static IResult Robots(IOptions<SitePagesOptions> options, HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.Text($"""
            User-agent: *
            Allow: /
            Disallow: /api/
            Disallow: /admin/
            Disallow: /dashboard
            Disallow: /ops
            Disallow: /your-data
            Disallow: /report

            Sitemap: {options.Value.Link("/sitemap.xml")}

            """, "text/plain; charset=utf-8");
    }

    public static async Task<IResult> Sitemap(SitemapStore sitemap, IOptions<SitePagesOptions> options, HttpContext context, CancellationToken cancellationToken)
    {
        var count = await sitemap.CountAsync(cancellationToken);
        var size = options.Value.SitemapPageSize;
        if (count + PlatformPaths.Length <= size)
        {
            return await UrlSetAsync(sitemap, options.Value, 0, context, cancellationToken);
        }

        var pages = (int)Math.Ceiling((count + PlatformPaths.Length) / (double)size);
        return Xml(context, writer =>
        {
            writer.WriteStartElement("sitemapindex", Namespace);
            for (var page = 1; page <= pages; page++)
            {
                writer.WriteStartElement("sitemap", Namespace);
                writer.WriteElementString("loc", Namespace, options.Value.Link($"/sitemaps/{page}.xml"));
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        });
    }

    public static async Task<IResult> SitemapPage(string file, SitemapStore sitemap, IOptions<SitePagesOptions> options, HttpContext context, CancellationToken cancellationToken)
    {
        if (!file.EndsWith(".xml", StringComparison.Ordinal) || !int.TryParse(file[..^4], NumberStyles.None, CultureInfo.InvariantCulture, out var page) || page < 1)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "sitemap_not_found", "No such sitemap.");
        }

        return await UrlSetAsync(sitemap, options.Value, page - 1, context, cancellationToken);
    }

    /// <summary>Page <paramref name="page"/> (from 0) of every URL: the landing page and the showcase first, then the sites, oldest first.</summary>
    private static async Task<IResult> UrlSetAsync(SitemapStore sitemap, SitePagesOptions options, int page, HttpContext context, CancellationToken cancellationToken)
    {
        var landing = page == 0;
        var size = options.SitemapPageSize;
        var sites = await sitemap.RangeAsync((long)page * size - (landing ? 0 : PlatformPaths.Length), landing ? size - PlatformPaths.Length : size, cancellationToken);
        if (!landing && sites.Count == 0)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "sitemap_not_found", "No such sitemap.");
        }

        return Xml(context, writer =>
        {
            writer.WriteStartElement("urlset", Namespace);
            foreach (var path in landing ? PlatformPaths : [])
            {
                writer.WriteStartElement("url", Namespace);
                writer.WriteElementString("loc", Namespace, options.Link(path));
                writer.WriteEndElement();
            }

            foreach (var site in sites)
            {
                writer.WriteStartElement("url", Namespace);
                writer.WriteElementString("loc", Namespace, site.Domain is { } domain ? $"https://{domain}/" : options.Link($"/s/{site.Slug}"));
                writer.WriteElementString("lastmod", Namespace, DateTime.SpecifyKind(site.LastModified, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        });
    }

    private static IResult Xml(HttpContext context, Action<XmlWriter> write)
    {
        var output = new StringBuilder();
        using (var writer = XmlWriter.Create(output, new XmlWriterSettings { Encoding = Encoding.UTF8, OmitXmlDeclaration = false, Indent = false }))
        {
            writer.WriteStartDocument();
            write(writer);
            writer.WriteEndDocument();
        }

        context.Response.Headers.CacheControl = "public, max-age=3600";
        // A StringBuilder's writer declares UTF-16; the document is sent as UTF-8.
        return TypedResults.Text(output.ToString().Replace("encoding=\"utf-16\"", "encoding=\"utf-8\"", StringComparison.Ordinal), "application/xml; charset=utf-8");
    }
}
