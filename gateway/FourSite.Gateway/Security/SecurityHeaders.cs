namespace FourSite.Gateway.Security;

/// <summary>
/// Security headers on every response. Generated sites (<c>/s/…</c>) may be framed by the platform's own pages only
/// (their CSP says <c>frame-ancestors 'self'</c>); everything else may not be framed at all.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// The platform pages' policy: same-origin scripts and styles only, no inline script; frames of the platform's own
    /// generated sites (the landing page's preview) and of Stripe Checkout (the dashboard's upgrade) only.
    /// </summary>
    public const string PagePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; connect-src 'self'; frame-src 'self' https://checkout.stripe.com; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            if (context.Request.Path.StartsWithSegments("/s"))
            {
                headers.XFrameOptions = "SAMEORIGIN";
            }
            else
            {
                headers.XFrameOptions = "DENY";
                if (!headers.ContainsKey("Content-Security-Policy"))
                {
                    headers.ContentSecurityPolicy = PagePolicy;
                }
            }

            if (context.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }

            return Task.CompletedTask;
        });
        await next();
    });
}
