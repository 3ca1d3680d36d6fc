using FourSite.ServiceDefaults;

namespace FourSite.Metrics;

/// <summary>Registers the Metrics service's own parts.</summary>
public static class ApplicationServiceExtensions
{
    public const string ServiceName = "metrics";
    public const string DatabaseName = "metricsdb";

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(ApplicationServiceExtensions).Assembly);
        builder.AddRedisClient(ResourceNames.Cache);
        builder.AddMessaging(ServiceName);
        return builder;
    }
}
