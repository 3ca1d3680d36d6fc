using FourSite.ServiceDefaults.Http;
using Microsoft.Extensions.Options;

namespace FourSite.Leads.Webhooks;

/// <summary>
/// The one client that calls owners' URLs. Each connection's resolved addresses are checked as it is made (no loopback,
/// private, link-local or cloud metadata ranges), redirects are never followed, and nothing of the platform's own
/// client defaults applies (no service discovery, which would resolve a bare service name inside, and no automatic
/// retries: deliveries keep their own schedule).
/// </summary>
public sealed class WebhookHttpClient : IDisposable
{
    public WebhookHttpClient(IOptions<WebhookOptions> options)
    {
        var handler = ExternalOnlyHandler.Create(options.Value.AllowLoopback);
        handler.PooledConnectionLifetime = TimeSpan.FromMinutes(2);
        Client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        Client.DefaultRequestHeaders.UserAgent.ParseAdd("FourSite-Webhooks/1.0 (+https://4site.pro)");
    }

    public HttpClient Client { get; }

    public void Dispose() => Client.Dispose();
}
