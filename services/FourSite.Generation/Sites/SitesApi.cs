using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using FourSite.Generation.Cards;
using FourSite.Generation.Moderation;
using FourSite.Generation.Ownership;
using FourSite.Generation.Pipeline;
using FourSite.Generation.Pro;
using FourSite.Generation.Rendering;
using FourSite.Generation.Writers;
using FourSite.ServiceDefaults.Access;
using FourSite.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using static FourSite.ServiceDefaults.Database.UtcTime;

namespace FourSite.Generation.Sites;

/// <summary>Generated sites: their data (<c>/api/sites</c>), their pages (<c>/s/{slug}</c>, with the assets they load) and their removal.</summary>
public static partial class SitesApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly Dictionary<string, (byte[] Content, string ContentType)> Assets = LoadAssets();

    public static IEndpointRouteBuilder MapSitesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/sites/{idOrSlug}", GetSite)
            .WithTags("Sites")
            .WithName("GetSite")
            .WithSummary("A generated site's data, by id or slug; to its owner (token or account), also its Pro subscription.");

        app.MapDelete("/api/sites/{siteId:guid}", RemoveSite)
            .RequireSiteOwner(UnknownSite.NotFound)
            .WithTags("Sites")
            .WithName("RemoveSite")
            .WithSummary("The owner removes a site (owner token as Bearer, or the owning account): its page, data, shares, scores and leads go.");

        app.MapGetAndHead("/s/assets/{file}", GetAsset).ExcludeFromDescription();

        app.MapGetAndHead("/s/{slug}", GetPage)
            .WithTags("Sites")
            .WithName("GetSitePage")
            .WithSummary("The generated site as an HTML page.");

        return app;
    }

    public static async Task<Results<Ok<SiteResponse>, ProblemHttpResult>> GetSite(string idOrSlug, SiteStore sites, SiteOwnerStore owners, ProStatus pro,
        HttpContext context, CancellationToken cancellationToken)
    {
        var site = Guid.TryParse(idOrSlug, out var siteId)
            ? await sites.FindAsync(siteId, cancellationToken)
            : SlugPattern().IsMatch(idOrSlug) ? await sites.FindBySlugAsync(idOrSlug, cancellationToken) : null;
        if (site is null)
        {
            return SiteNotFound();
        }

        // Its subscription is the owner's business: shown to the owner's token or account only.
        var owner = SiteAccess.HasCredentials(context) ? await owners.FindAsync(site.Id, cancellationToken) : null;
        var isOwner = SiteOwnerCheck.Owns(context, owner);
        // A suspended site is gone for everyone but its owner, who sees why.
        if (site.Suspension is not null && !isOwner)
        {
            return SiteNotFound();
        }

        var proView = isOwner ? await pro.OfAsync(site.Id, cancellationToken) : null;
        var suspension = site.Suspension is { } kind ? new SuspensionView(kind, site.SuspensionReason ?? "", Utc(site.SuspendedAt!.Value)) : null;
        var data = JsonSerializer.Deserialize<SiteData>(site.SiteData, Json)!;
        return TypedResults.Ok(new SiteResponse(site.Id, site.Slug, data, Utc(site.CreatedAt), site.Model,
            GenerateApi.SiteUrl(site.Slug), new SiteOwnershipView(site.Verified, site.VerifiedBy), proView, suspension));
    }

    public static async Task<IResult> RemoveSite(Guid siteId, SiteStore sites, GenerationTelemetry telemetry, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (!await sites.RemoveAsync(siteId, cancellationToken))
        {
            return SiteNotFound();
        }

        telemetry.SiteRemoved();
        LogSiteRemoved(logs.CreateLogger(typeof(SitesApi)), siteId);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> GetPage(string slug, SiteStore sites, SiteCards cards, IOptions<SitePagesOptions> options, HttpContext context,
        CancellationToken cancellationToken)
    {
        var page = SlugPattern().IsMatch(slug) ? await sites.FindPageAsync(slug, cancellationToken) : null;
        if (page is null)
        {
            return SiteNotFound();
        }

        context.Response.Headers.XContentTypeOptions = "nosniff";
        if (page.Suspension is { } suspension)
        {
            return SuspendedPage.For(suspension, context);
        }

        context.Response.Headers.ContentSecurityPolicy = SitePage.ContentSecurityPolicy;
        context.Response.Headers.CacheControl = "public, max-age=60";
        // The canonical address is the custom domain where a Pro site is served on one, its platform address otherwise.
        var canonical = page.Pro && page.Domain is { } domain ? $"https://{domain}/" : options.Value.Link($"/s/{slug}");
        var html = SitePage.WithAddresses(page.Html, canonical, cards.Url(slug, page.CardHash, page.Pro));
        return TypedResults.Content(page.Pro ? SitePage.WithoutBadge(html) : html, "text/html; charset=utf-8");
    }

    public static IResult GetAsset(string file, HttpContext context)
    {
        if (!Assets.TryGetValue(file, out var asset))
        {
            return Problems.Of(StatusCodes.Status404NotFound, "asset_not_found", "No such asset.");
        }

        context.Response.Headers.CacheControl = "public, max-age=3600";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    private static ProblemHttpResult SiteNotFound() => Problems.Of(StatusCodes.Status404NotFound, "site_not_found", "No such site.");

    private static Dictionary<string, (byte[], string)> LoadAssets()
    {
        var assembly = Assembly.GetExecutingAssembly();
        const string prefix = "FourSite.Generation.Rendering.Assets.";
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(name => name[prefix.Length..], name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                var contentType = name.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
                return (buffer.ToArray(), contentType);
            });
    }

    /// <summary>Whether <paramref name="slug"/> could name a site (anything else is answered 404 without a query).</summary>
    public static bool IsSlug(string slug) => SlugPattern().IsMatch(slug);

    [GeneratedRegex("^[a-z0-9-]{1,64}$")]
    private static partial Regex SlugPattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "Site {SiteId} removed by its owner")]
    private static partial void LogSiteRemoved(ILogger logger, Guid siteId);
}
