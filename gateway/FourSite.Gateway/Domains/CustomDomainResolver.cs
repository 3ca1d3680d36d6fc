using System.Net;
using FourSite.ServiceDefaults;
using FourSite.ServiceDefaults.Http;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace FourSite.Gateway.Domains;

/// <summary>The site a custom domain serves, as Generation answers it.</summary>
public sealed record CustomDomainSite(string Domain, Guid SiteId, string Slug);

/// <summary>
/// Asks Generation which site a custom domain serves (<c>GET /api/domains/allowed</c>, the same question Caddy asks before
/// issuing a certificate) and remembers the answer, found or not, for a short while.
/// </summary>
public sealed class CustomDomainResolver(HttpClient http, IOptionsMonitor<GatewayOptions> options) : IDisposable
{
    /// <summary>Its own bounded cache: hosts are chosen by whoever sends the request, so they may be many.</summary>
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    /// <returns>The site, or null when the domain serves none.</returns>
    /// <exception cref="HttpRequestException">Generation could not answer.</exception>
    public async Task<CustomDomainSite?> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(host, out CustomDomainSite? known))
        {
            return known;
        }

        using var response = await http.GetAsync(ServiceAddress.Of(ResourceNames.Generation, $"/api/domains/allowed?domain={Uri.EscapeDataString(host)}"), cancellationToken);
        CustomDomainSite? site = response.StatusCode switch
        {
            HttpStatusCode.OK => await response.Content.ReadFromJsonAsync<CustomDomainSite>(cancellationToken),
            HttpStatusCode.NotFound or HttpStatusCode.BadRequest => null,
            _ => throw new HttpRequestException($"Generation answered {(int)response.StatusCode} for a custom domain.", null, response.StatusCode),
        };
        _cache.Set(host, site, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = options.CurrentValue.CustomDomainCacheTime });
        return site;
    }

    public void Dispose() => _cache.Dispose();
}
