namespace FourSite.Gateway.RateLimiting;

/// <summary>A request path as per-route policies compare it: without a trailing slash, so <c>/api/generate/</c> is <c>/api/generate</c>.</summary>
public static class RoutePath
{
    public static string Of(HttpRequest request) => request.Path.Value is { Length: > 1 } path ? path.TrimEnd('/') : request.Path.Value ?? "/";
}
