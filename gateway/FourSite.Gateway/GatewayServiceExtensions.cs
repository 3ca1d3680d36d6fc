using System.Net;
using FourSite.Gateway.Domains;
using FourSite.Gateway.Health;
using FourSite.Gateway.Identity;
using FourSite.Gateway.Pages;
using FourSite.Gateway.Proxy;
using FourSite.Gateway.RateLimiting;
using FourSite.Gateway.Security;
using FourSite.Gateway.Signals;
using FourSite.Gateway.Slots;
using FourSite.ServiceDefaults;
using FourSite.ServiceDefaults.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Yarp.ReverseProxy.LoadBalancing;

namespace FourSite.Gateway;

/// <summary>Registers the gateway's parts and lays out its request pipeline.</summary>
public static class GatewayServiceExtensions
{
    private const string CorsPolicy = "platform";

    public static IHostApplicationBuilder AddGatewayServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<GatewayOptions>()
            .BindConfiguration(GatewayOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver()
            .AddTransforms<AccountForwarding>();
        builder.AddGatewayIdentity();

        // A probe reports what it sees now; retrying would only hide an outage and slow the answer.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental but is the documented opt-out.
        builder.Services.AddServiceHealthFanOut().AddSingleton<ServiceHealthProbe>();
#pragma warning restore EXTEXP0001

        // Redis holds the shared rate limits; the gateway keeps serving without it, so it is no readiness condition.
        builder.AddRedisClient(ResourceNames.Cache, settings => settings.DisableHealthChecks = true);
        builder.AddGatewayRateLimiting();
        builder.Services.AddMemoryCache();
        builder.Services.AddHttpClient<CustomDomainResolver>(http => http.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<GatewayTelemetry>();
        builder.Services.AddSingleton<RequestSignalRecorder>();
        builder.Services.AddPlatformPages();
        builder.Services.AddShowcasePage();
        builder.Services.AddHostedService(services => services.GetRequiredService<RequestSignalRecorder>());
        builder.Services.AddSingleton<SlotRegistry>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SlotRegistry>());
        builder.Services.AddSingleton<ILoadBalancingPolicy, SlotLoadBalancingPolicy>();

        var gateway = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            foreach (var proxy in gateway.TrustedProxies)
            {
                if (System.Net.IPNetwork.TryParse(proxy, out var network))
                {
                    options.KnownIPNetworks.Add(network);
                }
                else if (IPAddress.TryParse(proxy, out var address))
                {
                    options.KnownProxies.Add(address);
                }
            }
        });
        // Bounded headers and a prompt deadline for them: a slow or oversized request head is refused, not waited on.
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestHeaderCount = 100;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(15);
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(120);
        });
        builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins(gateway.CorsOrigins)
            .WithMethods("GET", "POST", "DELETE")
            .WithHeaders("Content-Type", "Authorization", "X-Api-Key", "Prefer", "X-Session-Id")
            .WithExposedHeaders("Location", "Retry-After")));

        return builder;
    }

    /// <summary>
    /// The edge every request crosses, in order: real client and errors (defaults), metrics, headers, custom domains, CORS, size caps,
    /// limits (sign-in included), the session, then the cross-site check of what the session may change.
    /// </summary>
    public static WebApplication UseGatewayEdge(this WebApplication app)
    {
        app.MapDefaultEndpoints(authenticate: false);
        GatewayTelemetry.UseGatewayTelemetry(app);
        app.UseSecurityHeaders();
        app.UseCustomDomains();
        // Routing after custom domains, so a domain's root, rewritten to its site's page, is routed as that page.
        app.UseRouting();
        app.UsePageCompression();
        app.UseCors(CorsPolicy);
        app.UseBodySizeLimits(app.Configuration);
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseCrossSiteRequestGuard();
        return app;
    }
}
