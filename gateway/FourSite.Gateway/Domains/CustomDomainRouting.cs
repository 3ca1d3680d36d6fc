using System.Net;
using FourSite.ServiceDefaults.Http;
using Microsoft.Extensions.Options;

namespace FourSite.Gateway.Domains;

/// <summary>
/// Serves a Pro site's verified custom domain as that site: its root is the site's page, and only what the page itself
/// loads and calls (its assets, real-user monitoring, lead capture, share tracking, its data) passes on; a host that is
/// neither the platform's nor a served domain gets the platform's 404.
/// </summary>
public static partial class CustomDomainRouting
{
    /// <summary>What a generated page loads and calls, besides itself.</summary>
    private static readonly string[] SitePrefixes = ["/s/assets/", "/assets/", "/api/sites/", "/api/viral/sites/"];

    private static readonly string[] SitePaths = ["/api/leads/capture", "/api/share/track", "/api/share/visit", "/api/analytics/rum", "/favicon.ico"];

    public static IApplicationBuilder UseCustomDomains(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var host = context.Request.Host.Host.TrimEnd('.').ToLowerInvariant();
        var settings = context.RequestServices.GetRequiredService<IOptionsMonitor<GatewayOptions>>().CurrentValue;
        if (IsPlatformHost(host, settings.PlatformHosts))
        {
            await next(context);
            return;
        }

        // Only a well-formed public name is worth asking about; anything else is the platform's 404 at once.
        if (!HostName().IsMatch(host))
        {
            await Problems.Of(StatusCodes.Status404NotFound, "not_found", "There is nothing here.").ExecuteAsync(context);
            return;
        }

        CustomDomainSite? site;
        try
        {
            site = await context.RequestServices.GetRequiredService<CustomDomainResolver>().ResolveAsync(host, context.RequestAborted);
        }
        catch (Exception exception) when (exception is HttpRequestException or System.Text.Json.JsonException or Polly.ExecutionRejectedException
            || (exception is OperationCanceledException && !context.RequestAborted.IsCancellationRequested))
        {
            LogUnresolved(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CustomDomainRouting)), host, exception.Message);
            await Problems.Of(StatusCodes.Status503ServiceUnavailable, "domain_lookup_unavailable", "This site cannot be looked up right now; try again shortly.")
                .ExecuteAsync(context);
            return;
        }

        var path = context.Request.Path.Value ?? "/";
        if (site is null || !Serves(path, site.Slug))
        {
            await Problems.Of(StatusCodes.Status404NotFound, "not_found", "There is nothing here.").ExecuteAsync(context);
            return;
        }

        if (path == "/")
        {
            context.Request.Path = $"/s/{site.Slug}";
        }

        await next(context);
    });

    /// <summary>Loopback, IP addresses, single-label names (service names inside a cluster) and the configured hosts are the platform's.</summary>
    public static bool IsPlatformHost(string host, IReadOnlyCollection<string> platformHosts) =>
        host.Length == 0 || host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal) || !host.Contains('.', StringComparison.Ordinal)
        || IPAddress.TryParse(host.Trim('[', ']'), out _) || platformHosts.Contains(host, StringComparer.OrdinalIgnoreCase);

    private static bool Serves(string path, string slug) =>
        path == "/" || path == $"/s/{slug}" || SitePaths.Contains(path, StringComparer.Ordinal) || SitePrefixes.Any(prefix => path.StartsWith(prefix, StringComparison.Ordinal));

    [System.Text.RegularExpressions.GeneratedRegex("^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9-]{2,63}$")]
    private static partial System.Text.RegularExpressions.Regex HostName();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Custom domain {Host} could not be looked up: {Reason}")]
    private static partial void LogUnresolved(ILogger logger, string host, string reason);
}
