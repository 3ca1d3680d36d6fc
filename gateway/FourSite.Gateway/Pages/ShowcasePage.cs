using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Encodings.Web;
using FourSite.ServiceDefaults;
using FourSite.ServiceDefaults.Http;

namespace FourSite.Gateway.Pages;

/// <summary>
/// <c>/showcase</c>: the featured sites as a page search engines can index without running a script (each a link to its
/// site, with its score), its own social card, canonical address and pages of 24 (<c>?page=2</c>). The list is Viral's
/// (<c>/api/showcase</c>), read at each request.
/// </summary>
public static partial class ShowcasePage
{
    public const string HttpClientName = "viral-showcase";

    /// <summary>One entry of Viral's showcase, as much of it as the page shows.</summary>
    public sealed record Entry(string? Slug, string? Title, double ViralScore, bool Pro);

    public static IServiceCollection AddShowcasePage(this IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName, http => http.BaseAddress = ServiceAddress.Of(ResourceNames.Viral));
        return services;
    }

    public static IEndpointRouteBuilder MapShowcasePage(this IEndpointRouteBuilder app)
    {
        app.MapGetAndHead("/showcase", RenderAsync).ExcludeFromDescription();
        return app;
    }

    public static async Task<IResult> RenderAsync(int? page, IHttpClientFactory clients, PlatformPages pages, HttpContext context, ILoggerFactory logs, CancellationToken cancellationToken)
    {
        if (page is < 1 or > 10_000)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "invalid_page", "page must be a number from 1.");
        }

        var number = page ?? 1;
        List<Entry> entries;
        try
        {
            entries = await clients.CreateClient(HttpClientName).GetFromJsonAsync<List<Entry>>($"/api/showcase?page={number}", cancellationToken) ?? [];
        }
        catch (Exception exception) when (exception is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogUnavailable(logs.CreateLogger(typeof(ShowcasePage)), exception.Message);
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "showcase_unavailable", "The showcase is unavailable right now.");
        }

        context.Response.Headers.CacheControl = "public, max-age=300";
        return Results.Content(Html(entries, number, $"{context.Request.Scheme}://{context.Request.Host}", pages), "text/html; charset=utf-8");
    }

    public static string Html(IReadOnlyList<Entry> entries, int page, string origin, PlatformPages pages)
    {
        var html = HtmlEncoder.Default;
        var self = page == 1 ? $"{origin}/showcase" : $"{origin}/showcase?page={page}";
        const string Description = "Open-source launches that spread: the sites made with FourSite that their visitors shared most, highest viral score first.";
        var list = new StringBuilder();
        foreach (var entry in entries.Where(entry => entry.Slug is not null))
        {
            list.Append(CultureInfo.InvariantCulture, $"""
                <li class="card"><h2><a href="/s/{html.Encode(entry.Slug!)}">{html.Encode(entry.Title ?? entry.Slug!)}</a></h2><p class="muted">Viral score {entry.ViralScore:0.#}{(entry.Pro ? " · Pro" : "")}</p></li>
                """);
        }

        var more = new StringBuilder();
        if (page > 1)
        {
            more.Append(CultureInfo.InvariantCulture, $"""<a rel="prev" href="/showcase{(page == 2 ? "" : $"?page={page - 1}")}">Previous</a> """);
        }

        if (entries.Count >= ShowcasePageSize)
        {
            more.Append(CultureInfo.InvariantCulture, $"""<a rel="next" href="/showcase?page={page + 1}">Next</a>""");
        }

        return $"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>Showcase — open-source launches made with FourSite</title>
              <meta name="description" content="{Description}">
              <link rel="canonical" href="{html.Encode(self)}">
              <meta property="og:type" content="website">
              <meta property="og:title" content="The FourSite showcase">
              <meta property="og:description" content="{Description}">
              <meta property="og:url" content="{html.Encode(self)}">
              <meta property="og:image" content="{html.Encode(origin)}/cards/showcase.png">
              <meta property="og:image:width" content="1200">
              <meta property="og:image:height" content="630">
              <meta property="og:image:alt" content="The FourSite showcase: open-source launches that spread">
              <meta name="twitter:card" content="summary_large_image">
              <link rel="stylesheet" href="{pages.AssetUrls["platform.css"]}">
              <script defer src="{pages.AssetUrls["common.js"]}"></script>
              <script defer src="{pages.AssetUrls["rum.js"]}"></script>
            </head>
            <body>
              <a class="skip" href="#main">Skip to content</a>
              <header class="topbar">
                <a class="brand" href="/">4site<span>.pro</span></a>
                <nav aria-label="Main"><a href="/">Home</a><a href="/showcase" aria-current="page">Showcase</a><a href="/dashboard">Dashboard</a></nav>
              </header>
              <main id="main">
                <h1>Showcase</h1>
                <p class="lede">{Description}</p>
                {(list.Length > 0 ? $"<ol class=\"grid plain\" data-testid=\"showcase-list\">{list}</ol>" : "<p class=\"muted\">No featured sites yet: a site is featured once its viral score crosses the line. <a href=\"/\">Launch yours</a>.</p>")}
                <nav class="actions" aria-label="Pages">{more}</nav>
              </main>
              <footer>FourSite · <a href="/">Generate a site</a> · <a href="/your-data">Your data</a> · <a href="/privacy-notice">Privacy</a> · <a href="/imprint">Imprint</a></footer>
            </body>
            </html>
            """;
    }

    /// <summary>Viral's page size: a full page means there may be a next one.</summary>
    private const int ShowcasePageSize = 24;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Showcase page unavailable: {Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
