using System.Text.Json;
using System.Text.RegularExpressions;
using FourSite.Generation.Sites;
using FourSite.Generation.Writers;
using FourSite.ServiceDefaults.Http;

namespace FourSite.Generation.Cards;

/// <summary>
/// <c>/s/{slug}/card/{variant}.png</c>: a site's social card, cached for a year (its address changes with what it
/// shows). An address of older content leads to the current card; a suspended or unknown site has none. And
/// <c>/cards/{page}.png</c>, the cards of the landing page and the showcase.
/// </summary>
public static partial class CardsApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapCardsApi(this IEndpointRouteBuilder app)
    {
        app.MapGetAndHead("/s/{slug}/card/{file}", GetCard)
            .WithTags("Sites")
            .WithName("GetSiteCard")
            .WithSummary("The site's social card (1200×630 PNG), as its page's og:image names it.");
        app.MapGetAndHead("/cards/{file}", GetPlatformCard)
            .WithTags("Sites")
            .WithName("GetPlatformCard")
            .WithSummary("The social card of a platform page: landing.png or showcase.png.");
        return app;
    }

    public static IResult GetPlatformCard(string file, PlatformCards cards, HttpContext context)
    {
        if (!file.EndsWith(".png", StringComparison.Ordinal) || cards.Png(file[..^4]) is not { } png)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "card_not_found", "No such card.");
        }

        // The same address shows a new picture after a release: kept a day, not for ever.
        context.Response.Headers.CacheControl = "public, max-age=86400";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Bytes(png, "image/png");
    }

    public static async Task<IResult> GetCard(string slug, string file, CardStore store, SiteCards cards, HttpContext context, CancellationToken cancellationToken)
    {
        var source = SitesApi.IsSlug(slug) && VariantPattern().IsMatch(file) ? await store.FindSourceAsync(slug, cancellationToken) : null;
        if (source is null || source.Suspension is not null)
        {
            return Problems.Of(StatusCodes.Status404NotFound, "card_not_found", "No such card.");
        }

        var current = SiteCards.Variant(source.ContentHash, source.Pro);
        if (file != $"{current}.png")
        {
            return TypedResults.Redirect($"/s/{slug}/card/{current}.png");
        }

        var png = await cards.PngAsync(source.Id, JsonSerializer.Deserialize<SiteData>(source.SiteData, Json)!, current, cancellationToken);
        context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Bytes(png, "image/png");
    }

    [GeneratedRegex("^[0-9a-f]{16}(-pro)?\\.png$")]
    private static partial Regex VariantPattern();
}
