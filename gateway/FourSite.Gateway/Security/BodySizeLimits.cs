using FourSite.Gateway.RateLimiting;
using FourSite.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.Features;

namespace FourSite.Gateway.Security;

/// <summary>
/// Request body caps per route (section <c>FourSite:Gateway:BodyLimits</c>: path → bytes; others get
/// <see cref="DefaultLimit"/>). A declared length over the cap is refused at once with 413; a chunked body is cut off
/// at the cap by the server.
/// </summary>
public static class BodySizeLimits
{
    public const string Section = "FourSite:Gateway:BodyLimits";
    public const long DefaultLimit = 1024 * 1024;

    public static IApplicationBuilder UseBodySizeLimits(this IApplicationBuilder app, IConfiguration configuration)
    {
        var limits = new Dictionary<string, long>(configuration.GetSection(Section).Get<Dictionary<string, long>>() ?? [], StringComparer.OrdinalIgnoreCase);
        return app.Use(async (context, next) =>
        {
            var limit = limits.TryGetValue(RoutePath.Of(context.Request), out var routeLimit) ? routeLimit : DefaultLimit;
            if (context.Request.ContentLength > limit)
            {
                await Problems.Of(StatusCodes.Status413PayloadTooLarge, "body_too_large", "The request body is too large.",
                    $"This route accepts at most {limit} bytes.").ExecuteAsync(context);
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = limit;
            }

            await next();
        });
    }
}
