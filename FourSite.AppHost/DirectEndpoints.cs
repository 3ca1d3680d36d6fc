using FourSite.AppHost.Infrastructure.Local;

namespace FourSite.AppHost;

/// <summary>
/// On a local run the processes reach each other directly, not through DCP's endpoint proxies: a proxy copies every byte
/// between two processes, which cost about 3 ms of CPU per generation and 0.8 ms per lead capture.
/// </summary>
public static class DirectEndpoints
{
    /// <summary>The setting with which an AppHost under test asks for random ports, so runs side by side never clash.</summary>
    private const string RandomizePorts = "DcpPublisher:RandomizePorts";

    /// <summary>
    /// The project listens on its HTTP endpoint's own port: the one given, else the launch profile's, else (and always
    /// when ports are randomised) a free one.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDirectHttpEndpoint(this IResourceBuilder<ProjectResource> project, int? port = null)
    {
        var builder = project.ApplicationBuilder;
        if (!builder.ExecutionContext.IsRunMode)
        {
            return port is null ? project : project.WithEndpoint("http", endpoint => endpoint.Port = port);
        }

        var randomized = bool.TryParse(builder.Configuration[RandomizePorts], out var randomize) && randomize;
        return project.WithEndpoint("http", endpoint =>
        {
            endpoint.Port = port ?? (randomized ? null : endpoint.Port) ?? FreePort.Next();
            endpoint.TargetPort = endpoint.Port;
            endpoint.IsProxied = false;
        });
    }
}
