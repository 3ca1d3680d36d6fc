using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace FourSite.Gateway.Domains;

/// <summary>The site a custom domain serves, as Generation answers it.</summary>
public sealed record CustomDomainSite(string Domain, Guid SiteId, string Slug);

/// <summary>
/// Asks Generation which site a custom domain serves (<c>GET /api/domains/allowed</c>, the same question Caddy asks before
/// issuing a certificate) and remembers the answer, found or not, for a short while.
/// </summary>
public sealed class CustomDomainResolver(HttpClient http, IMemoryCache cache, IOptionsMonitor<GatewayOptions> options)
{
    /// <returns>The site, or null when the domain serves none.</returns>
    /// <exception cref="HttpRequestException">Generation could not answer.</exception>
    public async Task<CustomDomainSite?> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(host, out CustomDomainSite? known))
        {
            return known;
        }

        using var response = await http.GetAsync(new Uri($"http://generation/api/domains/allowed?domain={Uri.EscapeDataString(host)}"), cancellationToken);
        CustomDomainSite? site = response.StatusCode switch
        {
            HttpStatusCode.OK => await response.Content.ReadFromJsonAsync<CustomDomainSite>(cancellationToken),
            HttpStatusCode.NotFound or HttpStatusCode.BadRequest => null,
            _ => throw new HttpRequestException($"Generation answered {(int)response.StatusCode} for a custom domain.", null, response.StatusCode),
        };
        cache.Set(host, site, options.CurrentValue.CustomDomainCacheTime);
        return site;
    }
}
