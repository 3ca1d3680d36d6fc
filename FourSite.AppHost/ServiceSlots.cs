using FourSite.AppHost.Infrastructure.Local;

namespace FourSite.AppHost;

/// <summary>
/// Blue/green: with <c>FourSite:Deployment:BlueGreen=true</c> every service runs as two slots, <c>{name}</c> (blue) and
/// <c>{name}-green</c>, behind one gateway cluster; <c>POST /admin/slots/{service}</c> on the gateway moves traffic.
/// </summary>
public static class ServiceSlots
{
    public const string Setting = "FourSite:Deployment:BlueGreen";

    /// <summary>Adds a service's blue slot (and, when enabled, its green one) and routes the gateway to them.</summary>
    public static IResourceBuilder<ProjectResource> AddServiceSlots<TProject>(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ProjectResource> gateway, Action<IResourceBuilder<ProjectResource>> configure)
        where TProject : IProjectMetadata, new()
    {
        var blue = builder.AddProject<TProject>(name).WithDirectHttpEndpoint();
        configure(blue);
        gateway.WithReference(blue).WaitFor(blue);

        if (builder.ExecutionContext.IsRunMode && bool.TryParse(builder.Configuration[Setting], out var enabled) && enabled)
        {
            // The launch profile's fixed port belongs to blue.
            var green = builder.AddProject<TProject>($"{name}-green").WithDirectHttpEndpoint(FreePort.Next());
            configure(green);
#pragma warning disable S5332 // The gateway reaches the green slot on the platform's private network, by service discovery.
            gateway.WithReference(green)
                .WithEnvironment($"ReverseProxy__Clusters__{name}__Destinations__green__Address", $"http://{name}-green");
#pragma warning restore S5332
        }

        return blue;
    }
}
