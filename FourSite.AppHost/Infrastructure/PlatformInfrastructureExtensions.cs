using FourSite.AppHost.Infrastructure.Local;

namespace FourSite.AppHost.Infrastructure;

/// <summary>Adds the shared servers in the mode this machine supports, and connects services to them.</summary>
public static class PlatformInfrastructureExtensions
{
    public static PlatformInfrastructure AddPlatformInfrastructure(this IDistributedApplicationBuilder builder)
    {
        if (InfrastructureModeSelector.Select(builder) == InfrastructureMode.Containers)
        {
            return builder.AddContainerInfrastructure();
        }

        if (LocalServerBinaries.EnsureInstalled() is { } instruction)
        {
            Console.Error.WriteLine(instruction);
            Environment.Exit(1);
        }

        return builder.AddLocalInfrastructure();
    }

    /// <summary>Gives a service its own database, the cache and the broker, and starts it only once they accept work.</summary>
    public static IResourceBuilder<ProjectResource> WithPlatformInfrastructure(
        this IResourceBuilder<ProjectResource> service, PlatformInfrastructure infrastructure, IResourceBuilder<IResourceWithConnectionString> database)
    {
        return service
            .WithReference(database).WaitFor(database)
            .WithReference(infrastructure.Cache).WaitFor(infrastructure.Cache)
            .WithReference(infrastructure.Messaging).WaitFor(infrastructure.Messaging);
    }
}
