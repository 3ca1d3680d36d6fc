using FourSite.Gateway.Health;

namespace FourSite.Gateway;

/// <summary>Registers the gateway's parts: the reverse proxy and the health aggregation.</summary>
public static class GatewayServiceExtensions
{
    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>()
            .BindConfiguration(GatewayOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver();

        // A probe reports what it sees now; retrying would only hide an outage and slow the answer.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental but is the documented opt-out.
        builder.Services.AddHttpClient<ServiceHealthProbe>().RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        return builder;
    }
}
