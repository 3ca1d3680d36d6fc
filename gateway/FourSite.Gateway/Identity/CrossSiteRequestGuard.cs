using FourSite.ServiceDefaults.Http;

namespace FourSite.Gateway.Identity;

/// <summary>
/// A request that changes something and rides on the session cookie must come from the platform's own pages: another
/// site's form or script (cross-site request forgery) is refused by the browser's own word (<c>Sec-Fetch-Site</c>, else
/// <c>Origin</c>). Calls without the cookie (tokens, API keys) are not affected.
/// </summary>
public static class CrossSiteRequestGuard
{
    public static IApplicationBuilder UseCrossSiteRequestGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!IsSafe(context.Request.Method) && context.Request.Cookies.ContainsKey(IdentityServiceExtensions.SessionCookie) && IsCrossSite(context.Request))
        {
            await Problems.Of(StatusCodes.Status403Forbidden, "cross_site_request", "This request came from another site and was refused.").ExecuteAsync(context);
            return;
        }

        await next();
    });

    private static bool IsSafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    public static bool IsCrossSite(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is not ("same-origin" or "none");
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }
}
