using System.IO.Compression;
using FourSite.ServiceDefaults.Http;
using Microsoft.AspNetCore.ResponseCompression;

namespace FourSite.Gateway.Pages;

/// <summary>Serves the platform pages and their assets, compressed (pages are small HTML; assets are immutable).</summary>
public static class PlatformPagesEndpoints
{
    public static IServiceCollection AddPlatformPages(this IServiceCollection services)
    {
        services.AddSingleton<PlatformPages>();
        services.AddResponseCompression(options =>
        {
            options.Providers.Add<BrotliCompressionProvider>();
            options.Providers.Add<GzipCompressionProvider>();
            options.MimeTypes = ["text/html", "text/css", "text/javascript", "image/svg+xml"];
        });
        services.Configure<BrotliCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        services.Configure<GzipCompressionProviderOptions>(options => options.Level = CompressionLevel.Fastest);
        return services;
    }

    /// <summary>Compression for everything that is not the API (pages, assets and generated sites; never event streams).</summary>
    public static IApplicationBuilder UsePageCompression(this IApplicationBuilder app) =>
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api"), branch => branch.UseResponseCompression());

    public static IEndpointRouteBuilder MapPlatformPages(this IEndpointRouteBuilder app)
    {
        // Built here, at start-up: a page naming a missing asset stops the gateway instead of failing its first visitor.
        var pages = app.ServiceProvider.GetRequiredService<PlatformPages>();
        foreach (var route in PlatformPages.Routes.Keys)
        {
            app.MapGetAndHead(route, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = PlatformPages.PageCache;
                return Results.Content(pages.Page(route, $"{context.Request.Scheme}://{context.Request.Host}"), "text/html; charset=utf-8");
            }).ExcludeFromDescription();
        }

        // A site's short address: /{slug} leads to its page at /s/{slug} (which answers 404 for no such site).
        app.MapGetAndHead("/{slug:regex(^[a-z0-9][a-z0-9-]{{0,80}}$)}", (string slug) => Results.Redirect($"/s/{slug}")).ExcludeFromDescription();

        app.MapGetAndHead("/assets/{name}", (string name, HttpContext context) =>
        {
            if (pages.TryGetAsset(name, out var asset))
            {
                context.Response.Headers.CacheControl = PlatformPages.AssetCache;
                return Results.Bytes(asset.Content, asset.ContentType);
            }

            // The plain name (e.g. /assets/rum.js, which generated sites load) follows the current version within an hour.
            if (pages.AssetUrls.TryGetValue(name, out var current) && pages.TryGetAsset(current["/assets/".Length..], out asset))
            {
                context.Response.Headers.CacheControl = PlatformPages.StableNameCache;
                return Results.Bytes(asset.Content, asset.ContentType);
            }

            return Results.NotFound();
        }).ExcludeFromDescription();
        return app;
    }
}
