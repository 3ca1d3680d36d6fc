namespace FourSite.Leads.Webhooks;

/// <summary>
/// Which URLs may receive webhooks: absolute <c>https</c> URLs without credentials. Where they resolve is checked again at
/// every connection (<see cref="WebhookHttpClient"/>), so a name that later points inside is refused then.
/// </summary>
public static class WebhookTarget
{
    public const int MaxLength = 2048;

    /// <returns>The URL to deliver to; null with <paramref name="problem"/> when it may not be one.</returns>
    public static Uri? Parse(string? url, bool allowLoopback, out string problem)
    {
        problem = "";
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxLength || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var target))
        {
            problem = $"url must be an absolute https URL of at most {MaxLength} characters.";
            return null;
        }

        if (!string.IsNullOrEmpty(target.UserInfo))
        {
            problem = "url must not carry credentials; verify deliveries by their signature instead.";
            return null;
        }

        var loopback = target.HostNameType == UriHostNameType.IPv4 && target.Host == "127.0.0.1";
        if (allowLoopback && loopback && target.Scheme is "http" or "https")
        {
            return target;
        }

        if (target.Scheme != Uri.UriSchemeHttps)
        {
            problem = "url must use https.";
            return null;
        }

        if (target.IsLoopback || target.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            problem = "url must be reachable from the internet, not this machine.";
            return null;
        }

        return target;
    }
}
