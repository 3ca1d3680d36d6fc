using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FourSite.Gateway.Tests;

/// <summary>The gateway in-process, its services found through service-discovery settings, as Aspire hands them over.</summary>
public sealed class GatewayFactory(IEnumerable<(string Name, Uri Address)> services) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("FourSite:Gateway:HealthProbeTimeout", "00:00:02");
        foreach (var (name, address) in services)
        {
            builder.UseSetting($"services:{name}:http:0", address.ToString());
        }
    }
}
