using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FourSite.Gateway.Tests;

/// <summary>
/// The gateway in-process, its services found through service-discovery settings (as Aspire hands them over), its
/// shared rate limits in the given Redis.
/// </summary>
public sealed class GatewayFactory(IEnumerable<(string Name, Uri Address)> services, string redis, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("FourSite:Gateway:HealthProbeTimeout", "00:00:02");
        builder.UseSetting("ConnectionStrings:cache", redis);
        foreach (var (name, address) in services)
        {
            builder.UseSetting($"services:{name}:http:0", address.ToString());
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
    }
}
