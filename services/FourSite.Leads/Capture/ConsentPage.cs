namespace FourSite.Leads.Capture;

/// <summary>
/// The page a capture's form was on, from the browser's own <c>Referer</c>: only its path, so neither a query (referral
/// codes, tracking parameters) nor a host the request names is recorded.
/// </summary>
public static class ConsentPage
{
    private const int MaxLength = 256;

    public static string? Of(HttpRequest request) =>
        Uri.TryCreate(request.Headers.Referer.ToString(), UriKind.Absolute, out var referer) && referer.Scheme is "http" or "https"
            ? referer.AbsolutePath[..Math.Min(referer.AbsolutePath.Length, MaxLength)]
            : null;
}
